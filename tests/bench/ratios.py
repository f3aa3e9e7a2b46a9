#!/usr/bin/env python3
# Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
"""Turns layoffs_bench's JSON output into the table of issue 5.

    layoffs_bench --benchmark_repetitions=3 --benchmark_format=json > bench.json
    tests/bench/ratios.py bench.json            # or: ... | tests/bench/ratios.py

For each case it prints the median library time, the median raw time, the
ratio library/raw and the target, marking the misses. With repetitions the
median is Google Benchmark's own "median" aggregate; without, the median of
the runs present. Standard library only.

    tests/bench/ratios.py --markdown bench.json

prints instead the table of docs/PERFORMANCE.md, ready to paste: CPU and
wall-clock medians and ratios of every case side by side, the other
variants (the flat import, the alternative raw strategies) as rows of their
own, and a line above it with the run's date, load average and sizes and
one below with the spread between repetitions.

Exit status: 0, unless --require-all finds a case without both variants or a
benchmark that reported an error (what the CI smoke run checks), or
--check-targets finds a ratio above its target (1); 2 for unusable input.
"""

import argparse
import json
import statistics
import sys

# Issues 5 and 12, "Targets": the ratio library/baseline each case must stay
# at or under.
TARGETS = {
    "record_batch": 1.25,
    "record_single": 1.25,
    "total_company_range": 1.25,
    "totals_by_month": 1.25,
    "totals_by_company": 1.5,
    "import_csv": 1.5,
    "import_real_fyi": 1.5,
    "open_existing": 2.0,
    # Issue 11: the HTML report against the queries it runs.
    "report": 1.5,
}

# The variant a case's ratio is taken against, where it is not "raw": the
# imports are measured against hand-written code that produces the same
# database (import_csv/raw, the flat load, is reported among the others);
# the report against the totals queries it runs.
BASELINE = {
    "import_csv": "raw_normalized",
    "import_real_fyi": "raw_normalized",
    "report": "queries",
}

# Cases without a hand-written twin: reported, no ratio.
LIBRARY_ONLY = {"import_real_warn"}

NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def split_name(run_name):
    """'record_batch/library/real_time' -> ('record_batch', 'library')."""
    parts = [p for p in run_name.split("/") if p not in ("real_time", "manual_time")]
    if len(parts) < 2:
        return run_name, ""
    return "/".join(parts[:-1]), parts[-1]


def load(stream):
    try:
        data = json.load(stream)
    except json.JSONDecodeError as e:
        sys.exit(f"ratios.py: not JSON from --benchmark_format=json: {e}")
    if "benchmarks" not in data:
        sys.exit("ratios.py: no 'benchmarks' in the input")
    return data


def collect(data, field):
    """Returns ({(case, variant): median ns of `field`}, [errors])."""
    runs, medians, errors = {}, {}, []
    for b in data["benchmarks"]:
        key = split_name(b.get("run_name", b["name"]))
        if b.get("error_occurred"):
            errors.append(f"{b['name']}: {b.get('error_message', 'error')}")
            continue
        ns = float(b[field]) * NS_PER_UNIT[b.get("time_unit", "ns")]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[key] = ns
        else:
            runs.setdefault(key, []).append(ns)
    for key, values in runs.items():
        medians.setdefault(key, statistics.median(values))
    return medians, errors


def spreads(data, field):
    """{(case, variant): coefficient of variation of `field`} (a fraction),
    from Google Benchmark's "cv" aggregate, else from the runs present."""
    cvs, runs = {}, {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            continue
        key = split_name(b.get("run_name", b["name"]))
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "cv":
                cvs[key] = float(b[field])
        else:
            runs.setdefault(key, []).append(float(b[field]))
    for key, values in runs.items():
        if key not in cvs and len(values) >= 2 and statistics.mean(values) > 0:
            cvs[key] = statistics.stdev(values) / statistics.mean(values)
    return cvs


def human_md(ns):
    return "" if ns is None else human(ns).replace(" us", " µs")


def markdown(data):
    """The results table of docs/PERFORMANCE.md, CPU and wall-clock time."""
    cpu, errors = collect(data, "cpu_time")
    wall, _ = collect(data, "real_time")
    ctx = data.get("context", {})
    sizes = ", ".join(f"{k.split('.', 1)[1]}={int(v):,}" for k, v in sorted(ctx.items())
                      if k.startswith("layoffs.") and k != "layoffs.data_dir"
                      and str(v).isdigit())
    load = ctx.get("load_avg")
    reps = max((len([b for b in data["benchmarks"]
                     if b.get("run_type") != "aggregate" and not b.get("error_occurred")
                     and split_name(b.get("run_name", b["name"])) == key])
                for key in cpu), default=0)
    print(f"Run of {ctx.get('date', '?')}"
          + (f", load average {' / '.join(f'{x:.2f}' for x in load)} as it started"
             if load else "")
          + f", {reps} repetition{'s' if reps != 1 else ''} (medians)"
          + (f"; sizes: {sizes}" if sizes else "") + ".")
    print()
    print("| case | library CPU | baseline CPU | ratio CPU | library wall | baseline wall "
          "| ratio wall | target | |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")

    def ratio(a, b):
        return None if a is None or b is None or b == 0 else a / b

    cases = list(TARGETS) + sorted({c for c, _ in cpu} - set(TARGETS))
    for case in cases:
        baseline = BASELINE.get(case, "raw")
        lc, bc = cpu.get((case, "library")), cpu.get((case, baseline))
        lw, bw = wall.get((case, "library")), wall.get((case, baseline))
        if lc is None and bc is None:
            continue
        target = TARGETS.get(case)
        rc, rw = ratio(lc, bc), ratio(lw, bw)
        if case in LIBRARY_ONLY:
            label, mark = f"`{case}` (library only)", "reported"
        else:
            label = f"`{case}`" + (f" (vs `{baseline}`)" if baseline != "raw" else "")
            if rc is None or rw is None:
                mark = "NOT RUN"
            elif target is None:
                mark = "reported"
            elif rc <= target and rw <= target:
                mark = "met"
            elif rc <= target:
                mark = "met in CPU, **missed** in wall"
            elif rw <= target:
                mark = "met in wall, **missed** in CPU"
            else:
                mark = "**missed**"
        print(f"| {label} | {human_md(lc)} | {human_md(bc)} | "
              + (f"**{rc:.2f}**" if rc is not None else "") + f" | {human_md(lw)} | "
              + f"{human_md(bw)} | " + (f"{rw:.2f}" if rw is not None else "") + " | "
              + (f"≤ {target:g}" if target is not None else "") + f" | {mark} |")
    others = sorted(k for k in cpu if k[1] != "library" and k[1] != BASELINE.get(k[0], "raw"))
    for case, variant in others:
        lc, oc = cpu.get((case, "library")), cpu[(case, variant)]
        lw, ow = wall.get((case, "library")), wall.get((case, variant))
        rc, rw = ratio(lc, oc), ratio(lw, ow)
        print(f"| `{case}/{variant}` (no target) | | {human_md(oc)} | "
              + (f"{rc:.2f}" if rc is not None else "") + f" | | {human_md(ow)} | "
              + (f"{rw:.2f}" if rw is not None else "") + " | | reported |")
    print()
    for field, name in (("cpu_time", "CPU"), ("real_time", "wall-clock")):
        cv = spreads(data, field)
        if cv:
            lo, hi = min(cv.values()), max(cv.values())
            worst = max(cv, key=cv.get)
            print(f"Coefficient of variation of the {name} time across the repetitions: "
                  f"{100 * lo:.1f}–{100 * hi:.1f}% (largest: `{worst[0]}/{worst[1]}`).  ")
    for e in errors:
        print(f"ERROR {e}  ")
    missing = [c for c in cases if c not in LIBRARY_ONLY and
               ((c, "library") in cpu) != ((c, BASELINE.get(c, "raw")) in cpu)]
    return errors, missing


def human(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:,.2f} {unit}"
    return f"{ns:,.0f} ns"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="-", help="JSON file (default: stdin)")
    parser.add_argument("--require-all", action="store_true",
                        help="fail unless every case has both variants and nothing failed")
    parser.add_argument("--check-targets", action="store_true",
                        help="fail if any ratio misses its target")
    parser.add_argument("--time", choices=("real", "cpu"), default="real",
                        help="wall-clock time (the issue's measure, default) or CPU time "
                             "(steadier on a busy machine, but blind to I/O waits)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the results table of docs/PERFORMANCE.md (CPU and "
                             "wall-clock time side by side) instead")
    args = parser.parse_args()
    if args.file == "-":
        data = load(sys.stdin)
    else:
        with open(args.file, encoding="utf-8") as f:
            data = load(f)
    if args.markdown:
        errors, missing = markdown(data)
        return 1 if args.require_all and (errors or missing) else 0
    medians, errors = collect(data, args.time + "_time")

    cases = list(TARGETS) + sorted({c for c, _ in medians} - set(TARGETS))
    print(f"median {args.time} time over the runs present")
    header = f"{'case':<22} {'library':>12} {'baseline':>12} {'ratio':>7} {'target':>8}  "
    print(header)
    print("-" * len(header))
    missing, misses = [], []
    for case in cases:
        baseline = BASELINE.get(case, "raw")
        lib, raw = medians.get((case, "library")), medians.get((case, baseline))
        target = TARGETS.get(case)
        if case in LIBRARY_ONLY and lib is not None:
            ratio_text, mark = "-", "(no twin)"
        elif lib is None or raw is None:
            missing.append(case)
            ratio_text, mark = "-", "NOT RUN"
        else:
            ratio = lib / raw
            ratio_text = f"{ratio:.2f}"
            mark = "" if target is None else ("ok" if ratio <= target else "MISS")
            if mark == "MISS":
                misses.append(case)
        target_text = f"<= {target:.2f}" if target is not None else "-"
        print(f"{case:<22} {human(lib):>12} {human(raw):>12} {ratio_text:>7} {target_text:>8}  {mark}")
    others = sorted(k for k in medians
                    if k[1] != "library" and k[1] != BASELINE.get(k[0], "raw"))
    if others:
        print("\nother raw strategies (library / this):")
        for case, variant in others:
            lib = medians.get((case, "library"))
            ratio = f"{lib / medians[(case, variant)]:.2f}" if lib else "-"
            print(f"  {case}/{variant:<16} {human(medians[(case, variant)]):>12} {ratio:>7}")
    for e in errors:
        print(f"ERROR {e}")
    for case in cases:
        if case in BASELINE:
            print(f"({case}: baseline {BASELINE[case]})")
    print(f"\n{len(cases) - len(missing) - len(misses)} met, {len(misses)} missed"
          + (f", {len(missing)} not run" if missing else "")
          + (f", {len(errors)} errors" if errors else ""))

    if args.require_all and (errors or missing):
        return 1
    if args.check_targets and (misses or missing or errors):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
