#!/bin/sh
# The least SQLite work an import of N rows into our schema can be: the rows
# already parsed, validated and sitting in a temporary table, then one
# INSERT ... SELECT into layoff_event with its indexes dropped, the indexes
# created again, and the commit: what the library's bulk load does, minus
# everything the library does in C++ (reading and parsing the CSV,
# validation, keys, duplicate checks). Compare its total with
# import_csv/raw in docs/PERFORMANCE.md.
#
# Usage: tests/bench/sql_floor.sh BUILD_DIR [ROWS]   (needs the sqlite3 shell)
set -eu
build=${1:?usage: sql_floor.sh BUILD_DIR [ROWS]}
rows=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/floor.db"
"$build/tools/layoffs" --db "$db" init >/dev/null
sqlite3 "$db" <<SQL
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
PRAGMA temp_store = FILE;
PRAGMA threads = 2;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10000)
INSERT INTO company (id, name, name_key) SELECT i, 'Company ' || i, 'company ' || i FROM c;
-- Parsed rows, as the library has them after validation (not timed).
CREATE TEMP TABLE parsed AS
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $rows)
SELECT (i % 10000) + 1 AS company_id,
       date('2015-01-01', '+' || ((i * 7919) % 3650) || ' days') AS announced_on,
       i % 500 AS n, 'lfyi:' || hex(randomblob(16)) AS key FROM c;
.timer on
BEGIN IMMEDIATE;
DROP INDEX layoff_event_company_date_idx;
DROP INDEX layoff_event_date_idx;
DROP INDEX layoff_event_external_key_idx;
INSERT INTO layoff_event (company_id, announced_on, announced_precision, headcount_kind,
  headcount_low, headcount_high, headcount_estimate, headcount_phrase, workforce_pct,
  external_key, company_stage, funds_raised_musd, created_at, updated_at)
SELECT company_id, announced_on, 'day', 'exact', n, n, n, CAST(n AS TEXT), 12.0, key,
  'Series B', 100.0, '2026-11-28T00:00:00Z', '2026-11-28T00:00:00Z' FROM parsed;
CREATE INDEX layoff_event_company_date_idx
  ON layoff_event (company_id, announced_on, headcount_low, headcount_high, headcount_estimate,
                   headcount_kind);
CREATE INDEX layoff_event_date_idx
  ON layoff_event (announced_on, company_id, headcount_low, headcount_high, headcount_estimate,
                   headcount_kind);
CREATE UNIQUE INDEX layoff_event_external_key_idx
  ON layoff_event (external_key) WHERE external_key IS NOT NULL;
COMMIT;
SQL
