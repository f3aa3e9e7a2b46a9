#!/usr/bin/env bash
# Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#
# The CI smoke run of layoffs_bench (issue 5, "Guard rails"): builds it, runs
# every case in both variants once on tiny data (seconds in all), and fails if
# any case failed, disagreed with its raw twin, or did not run. No timing is
# asserted: the numbers of a smoke run mean nothing.
#
#   tests/bench/smoke.sh [BUILD_DIR]     (default: build)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"

cmake --build "$build" --target layoffs_bench -j2
bin="$build/tests/bench/layoffs_bench"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Fresh data every time (a cache from an older generator must not hide a
# bug), a few hundred events per case.
export LAYOFFS_BENCH_DATA_DIR="$tmp/data"
export LAYOFFS_BENCH_EVENTS=3000
export LAYOFFS_BENCH_COMPANIES=100
export LAYOFFS_BENCH_BATCH_EVENTS=400
export LAYOFFS_BENCH_BATCH_SIZE=100
export LAYOFFS_BENCH_BATCH_COMPANIES=50
export LAYOFFS_BENCH_SINGLE_EVENTS=100
export LAYOFFS_BENCH_CSV_ROWS=500
export LAYOFFS_BENCH_REAL_WARN_ROWS=2000  # the 4,277-row layoffs.fyi file is small already

# benchmark 1.7.1 takes --benchmark_min_time as plain seconds (no "s" suffix).
"$bin" --benchmark_min_time=0.01 \
  --benchmark_out="$tmp/smoke.json" --benchmark_out_format=json

if command -v python3 > /dev/null; then
  python3 "$here/ratios.py" --require-all "$tmp/smoke.json"
else
  # Without python3, at least check that no case reported an error.
  if grep -q '"error_occurred": true' "$tmp/smoke.json"; then
    echo "smoke.sh: a benchmark case failed" >&2
    exit 1
  fi
fi
echo "smoke.sh: layoffs_bench ran every case in both variants"
