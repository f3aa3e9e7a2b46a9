#!/usr/bin/env bash
# Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#
# Renders an HTML report to a PNG with Debian's headless chromium, the way
# the browser tests do (no sandbox: CI runs as root in a container).
#
#   tools/report_screenshot.sh REPORT.html OUT.png [WIDTH [HEIGHT]]
#
# docs/amazon_report.png (the README's picture) is made with:
#   cmake --build build --target amazon_layoffs
#   (cd build && rm -f amazon.db && ./examples/amazon_layoffs amazon.db)
#   tools/report_screenshot.sh build/amazon_report.html docs/amazon_report.png 800 1180
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH [HEIGHT]]" >&2
  exit 2
fi
html="$(realpath "$1")"
out="$(realpath -m "$2")"
width="${3:-800}"
height="${4:-2400}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "$0: chromium is not installed (apt-get install chromium)" >&2
  exit 1
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$profile" --force-device-scale-factor=1 \
  --window-size="$width,$height" --screenshot="$out" "file://$html" 2> "$profile/stderr" || {
  cat "$profile/stderr" >&2
  exit 1
}
[ -s "$out" ] || { echo "$0: no screenshot written" >&2; exit 1; }
echo "$out"
