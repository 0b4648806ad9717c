#!/usr/bin/env bash
# Remakes README's report screenshots from the example applicants: a
# candidate page and an invalid candidate's page as a browser shows them,
# and the comparison and its interview guide as they print (A4).
# Needs chromium and pdftoppm (Debian: chromium, poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --release
bin=target/release/servicefit
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
chrome() {
    timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --no-first-run --user-data-dir="$(mktemp -d -p "$out")" \
        --no-pdf-header-footer "$@" 2>/dev/null >/dev/null
}

"$bin" score examples/applicants.csv --role retail --format html --out "$out/site" 2>/dev/null || true
chrome --screenshot=docs/report-screenshot.png --window-size=1000,1250 \
    "file://$out/site/candidates/APP-1012.html"
chrome --screenshot=docs/report-invalid.png --window-size=1000,820 \
    "file://$out/site/candidates/APP-1023.html"

"$bin" compare examples/applicants.csv --role retail --ids APP-1017,APP-1012,APP-1022,APP-1023 \
    --format html >"$out/compare.html" 2>/dev/null || true
chrome --print-to-pdf="$out/compare.pdf" "file://$out/compare.html"
pdftoppm -png -r 90 -f 1 -l 1 -singlefile "$out/compare.pdf" docs/report-comparison
pdftoppm -png -r 90 -f 2 -l 2 -singlefile "$out/compare.pdf" docs/report-guide
ls -l docs/report-*.png
