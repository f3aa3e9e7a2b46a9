#!/usr/bin/env python3
# Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
"""Keeps a checked-in fuzz corpus small: at most MAX_FILES files.

    tests/fuzz/minimize_corpus.py FUZZER CORPUS_DIR MAX_FILES [SCRATCH_DIR ...]

libFuzzer's -merge=1 keeps every input that adds a feature, which for these
targets is still hundreds of files. This runs the merge once to learn each
input's features (-use_counters=0: edges, not hit counts), then keeps

  - every reproducer: files named crash-*, regress-* or *.disabled (the
    latter are not run: known bugs, see docs/FUZZING.md);
  - greedily, the inputs (from CORPUS_DIR and the SCRATCH_DIRs) that add the
    most features not yet covered, until MAX_FILES or nothing is left to add.

Chosen inputs keep their name if they came from CORPUS_DIR, else are named
by their SHA-1; the other files of CORPUS_DIR are removed.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

KEEP = re.compile(r"^(crash|regress)-|\.disabled$")


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    fuzzer, corpus, max_files = sys.argv[1], sys.argv[2], int(sys.argv[3])
    scratch = sys.argv[4:]
    kept = sorted(f for f in os.listdir(corpus) if KEEP.search(f))
    with tempfile.TemporaryDirectory() as tmp:
        inputs = os.path.join(tmp, "inputs")
        os.mkdir(inputs)
        # Everything runnable, in one directory (deduplicated by content).
        origin = {}
        for d in [corpus] + scratch:
            for name in os.listdir(d):
                path = os.path.join(d, name)
                if not os.path.isfile(path) or name.endswith(".disabled"):
                    continue
                data = open(path, "rb").read()
                digest = hashlib.sha1(data).hexdigest()
                if digest in origin:
                    continue
                origin[digest] = (name if d == corpus else None, KEEP.search(name) is not None)
                with open(os.path.join(inputs, digest), "wb") as out:
                    out.write(data)
        control = os.path.join(tmp, "control")
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        subprocess.run([fuzzer, "-merge=1", "-use_counters=0", "-max_len=1048576",
                        "-merge_control_file=" + control, empty, inputs],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        lines = open(control).read().split("\n")
        n = int(lines[0])
        files = lines[2:2 + n]
        features = {}
        for line in lines[2 + n:]:
            parts = line.split()
            if parts and parts[0] == "FT":
                features[files[int(parts[1])]] = set(int(x) for x in parts[2:])

        covered = set()
        chosen = []
        for path, feats in features.items():
            if origin[os.path.basename(path)][1]:
                covered |= feats
        runnable_kept = sum(1 for f in kept if not f.endswith(".disabled"))
        candidates = {p: f for p, f in features.items() if not origin[os.path.basename(p)][1]}
        while len(chosen) + runnable_kept < max_files:
            best, gain = None, 0
            for path, feats in candidates.items():
                g = len(feats - covered)
                if g > gain or (g == gain and g > 0 and os.path.getsize(path) < os.path.getsize(best)):
                    best, gain = path, g
            if best is None:
                break
            chosen.append(best)
            covered |= candidates.pop(best)
        everything = set().union(*features.values()) if features else set()

        for name in os.listdir(corpus):
            if name not in kept:
                os.remove(os.path.join(corpus, name))
        for path in chosen:
            digest = os.path.basename(path)
            name = origin[digest][0] or digest
            shutil.copyfile(path, os.path.join(corpus, name))
    size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus))
    print(f"{corpus}: {len(kept)} reproducers + {len(chosen)} chosen files, {size} bytes; "
          f"features {len(covered)} of {len(everything)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
