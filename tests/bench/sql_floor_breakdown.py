#!/usr/bin/env python3
# Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
"""What each rule of layoff_event costs an import: the SQL floor, part by part.

    tests/bench/sql_floor_breakdown.py BUILD_DIR [--rows N] [--repeat R]

On a database created by the library (BUILD_DIR/tools/layoffs init), N parsed
rows (as in sql_floor.sh) are inserted with one INSERT ... SELECT into a copy
of layoff_event made from its own CREATE TABLE text as the migrations left it:

  - all rules (the real table), with the foreign key enforced;
  - the same with foreign_keys=OFF (the foreign key's cost);
  - every CHECK constraint left out in turn (that CHECK's cost);
  - no CHECK at all (what all of them cost together);

and each of the table's indexes is then built on the full table (CREATE
INDEX, as the bulk load does). Every figure is the median of R runs, wall
and CPU time of this process (SQLite runs in it: Python's sqlite3 module is
linked with the system's libsqlite3, the one the library uses). Only the
measurement removes rules, on a scratch copy: the schema is not changed.
"""

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time


def checks_of(create_sql):
    """The CHECK constraints of a CREATE TABLE text: [(start, end, text)]."""
    out = []
    for m in re.finditer(r"\bCHECK\s*\(", create_sql, re.IGNORECASE):
        depth, i = 0, m.end() - 1
        while True:
            c = create_sql[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
            elif c == "'":
                i = create_sql.index("'", i + 1)
            i += 1
        out.append((m.start(), i + 1, create_sql[m.start():i + 1]))
    return out


def without(create_sql, spans):
    """The text with the given CHECK spans removed (a table-level CHECK with
    the comma before it)."""
    text = create_sql
    for start, end in sorted(spans, reverse=True):
        before = text[:start].rstrip()
        if before.endswith(","):  # a table constraint: drop its comma too
            text = before[:-1] + text[end:]
        else:
            text = text[:start] + text[end:]
    return text


def label(check_text):
    one_line = " ".join(check_text.split())
    return one_line if len(one_line) <= 100 else one_line[:97] + "..."


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    work = tempfile.mkdtemp()
    path = os.path.join(work, "floor.db")
    subprocess.run([os.path.join(args.build_dir, "tools", "layoffs"), "--db", path, "init"],
                   check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA temp_store = MEMORY")
    db.execute("""WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10000)
                  INSERT INTO company (id, name, name_key)
                  SELECT i, 'Company ' || i, 'company ' || i FROM c""")
    db.execute(f"""CREATE TEMP TABLE parsed AS
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {args.rows})
        SELECT (i % 10000) + 1 AS company_id,
               date('2015-01-01', '+' || ((i * 7919) % 3650) || ' days') AS announced_on,
               i % 500 AS n, 'lfyi:' || hex(randomblob(16)) AS key FROM c""")
    create_sql = db.execute(
        "SELECT sql FROM sqlite_schema WHERE name = 'layoff_event'").fetchone()[0]
    indexes = [r[0] for r in db.execute(
        "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'layoff_event' "
        "AND sql IS NOT NULL ORDER BY rowid")]
    table_sql = re.sub(r"^CREATE TABLE\s+\"?layoff_event\"?", "CREATE TABLE ev", create_sql)
    table_sql = re.sub(r"--[^\n]*", "", table_sql)  # comments (no '--' inside the strings)
    columns = [r[1] for r in db.execute("PRAGMA table_info(layoff_event)")]
    insert = ("INSERT INTO ev (company_id, announced_on, announced_precision, headcount_kind, "
              "headcount_low, headcount_high, headcount_estimate, headcount_phrase, workforce_pct, "
              "external_key, company_stage, funds_raised_musd, created_at, updated_at) "
              "SELECT company_id, announced_on, 'day', 'exact', n, n, n, CAST(n AS TEXT), 12.0, "
              "key, 'Series B', 100.0, '2026-11-28T00:00:00Z', '2026-11-28T00:00:00Z' "
              "FROM parsed")

    def timed(sql_list, fk=True):
        walls, cpus = [], []
        for _ in range(args.repeat):
            db.execute("DROP TABLE IF EXISTS ev")
            db.execute(f"PRAGMA foreign_keys = {'ON' if fk else 'OFF'}")
            db.execute(sql_list[0])
            db.execute("BEGIN IMMEDIATE")
            w, c = time.perf_counter(), time.process_time()
            for sql in sql_list[1:]:
                db.execute(sql)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            db.execute("COMMIT")
        db.execute("DROP TABLE IF EXISTS ev")
        db.execute("PRAGMA foreign_keys = ON")
        return statistics.median(walls), statistics.median(cpus)

    checks = checks_of(table_sql)
    print(f"{args.rows:,} rows, median of {args.repeat}; SQLite {sqlite3.sqlite_version}; "
          f"{len(checks)} CHECK constraints, {len(indexes)} indexes, {len(columns)} columns")
    full = timed([table_sql, insert])
    rows = [("INSERT, every rule", full, None)]
    rows.append(("INSERT, foreign_keys=OFF", timed([table_sql, insert], fk=False), "fk"))
    none = timed([without(table_sql, [(s, e) for s, e, _ in checks]), insert])
    rows.append(("INSERT, no CHECK at all", none, "all"))
    for start, end, text in checks:
        rows.append((f"INSERT without {label(text)}",
                     timed([without(table_sql, [(start, end)]), insert]), "check"))
    print(f"{'what':<125} {'wall s':>8} {'cpu s':>8} {'cost (cpu)':>11}")
    for name, (w, c), kind in rows:
        cost = "" if kind is None else f"{full[1] - c:+.3f}"
        print(f"{name:<125} {w:8.3f} {c:8.3f} {cost:>11}")
    # The index builds, each on the table filled with every rule in force.
    db.execute(table_sql)
    db.execute(insert)
    for sql in indexes:
        index_sql = re.sub(r"\bON\s+layoff_event\b", "ON ev", sql)
        index_sql = re.sub(r"INDEX\s+(\w+)", r"INDEX \1_x", index_sql)
        w, c = time.perf_counter(), time.process_time()
        db.execute("PRAGMA threads = 2")
        db.execute(index_sql)
        name = " ".join(sql.split()[:4 if sql.split()[1] == "UNIQUE" else 3])
        print(f"{name:<125} {time.perf_counter() - w:8.3f} {time.process_time() - c:8.3f}")
    db.close()
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    os.rmdir(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
