#!/usr/bin/env bash
# Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#
# Runs one libFuzzer target in a scratch directory, seeded with the checked-in
# corpus, then merges what it found back into the checked-in corpus
# (at most MAX_FILES=50 files). See docs/FUZZING.md.
#
#   tests/fuzz/run_fuzzer.sh BUILD_DIR TARGET SECONDS [WORK_DIR]
#
# BUILD_DIR is a tree configured with CXX=clang++ -DLAYOFFS_FUZZ=ON; TARGET is
# headcount_parse, date_parse, csv_import, jsonl_import, mapped_import, names
# or oplog. WORK_DIR
# (default /tmp/layoffs-fuzz/TARGET) keeps the grown corpus, crash artifacts
# and fuzz.log between runs. Set MERGE=0 to leave the checked-in corpus alone.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '8,14p' "$0"
  exit 2
fi
build=$(cd "$1" && pwd)
target=$2
seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
work=${4:-/tmp/layoffs-fuzz/$target}
fuzzer="$build/tests/fuzz/fuzz_$target"
seeds="$here/corpus/$target"
[ -x "$fuzzer" ] || { echo "no $fuzzer: build it with -DLAYOFFS_FUZZ=ON" >&2; exit 2; }

mkdir -p "$work/corpus" "$work/artifacts"
# Disabled reproducers (*.disabled) crash on purpose: keep them out.
find "$seeds" -maxdepth 1 -type f ! -name '*.disabled' -exec cp -n {} "$work/corpus/" \;

dict=()
[ -f "$here/dict/$target.dict" ] && dict=("-dict=$here/dict/$target.dict")

# A smaller quarantine than ASan's default 256 MB: these targets allocate a
# lot, and a large quarantine halves the executions per second. No stack
# trace recorded per allocation (malloc_context_size=0, a fifth of the
# op-log's time): a report still shows where the bad access was; run the
# artifact again with ASAN_OPTIONS= (or through the corpus replay) to see
# where the memory was allocated and freed.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=32:malloc_context_size=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

cd "$work"
status=0
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 \
  -artifact_prefix="$work/artifacts/" "${dict[@]}" "$work/corpus" 2>&1 | tee "$work/fuzz.log" ||
  status=$?
grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|Done [0-9]+ runs)' "$work/fuzz.log" || true

if [ "${MERGE:-1}" = 1 ]; then
  # Minimise into the checked-in corpus: the inputs that add the most
  # coverage, at most 50 files (reproducers are kept as they are).
  "$here/minimize_corpus.py" "$fuzzer" "$seeds" "${MAX_FILES:-50}" "$work/corpus"
fi
exit $status
