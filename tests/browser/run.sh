#!/usr/bin/env bash
# Real-browser test of the HTML reports: headless Chromium renders the batch
# index and one candidate page to PNG, and the one-document report and a
# candidate page to PDF. Checks: every file exists and is not trivially
# small, and print CSS gives one PDF page per candidate (plus the summary page).
# Needs `chromium` (Debian's package); .ci/run installs it when CI=true.
set -euo pipefail
cd "$(dirname "$0")/../.."

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "browser test: chromium not found (apt-get install chromium)" >&2
    exit 1
fi
cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/servicefit"
data=tests/fixtures/report-applicants.csv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin" score "$data" --role retail --format html --out "$out/site" 2>/dev/null
"$bin" score "$data" --role retail --format html >"$out/all.html" 2>/dev/null
candidates=$(grep -c '<section class="candidate"' "$out/all.html")
page=$(find "$out/site/candidates" -name '*.html' | sort | head -n 1)

chrome() {
    timeout 180 "$browser" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --user-data-dir="$(mktemp -d -p "$out")" \
        --no-pdf-header-footer --print-to-pdf-no-header "$@" 2>>"$out/chromium.log" >/dev/null
}
chrome --screenshot="$out/index.png" --window-size=1200,1600 "file://$out/site/index.html"
chrome --screenshot="$out/candidate.png" --window-size=1200,1600 "file://$page"
chrome --print-to-pdf="$out/all.pdf" "file://$out/all.html"
chrome --print-to-pdf="$out/candidate.pdf" "file://$page"

passed=0
failed=0
check() { # description, command...
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $what" >&2
    fi
}
size_at_least() { [ -f "$1" ] && [ "$(stat -c %s "$1")" -ge "$2" ]; }
# Page objects, not the /Pages tree node.
pdf_pages() { grep -a -o -E '/Type ?/Page([^s]|$)' "$1" | wc -l; }

check "index screenshot exists and is non-trivial" size_at_least "$out/index.png" 20000
check "candidate screenshot exists and is non-trivial" size_at_least "$out/candidate.png" 20000
check "batch PDF exists and is non-trivial" size_at_least "$out/all.pdf" 20000
check "candidate PDF exists and is non-trivial" size_at_least "$out/candidate.pdf" 10000
all_pages=$(pdf_pages "$out/all.pdf")
check "batch PDF: summary + one page per candidate ($((candidates + 1)) expected, $all_pages found)" \
    [ "$all_pages" -eq $((candidates + 1)) ]
one_page=$(pdf_pages "$out/candidate.pdf")
check "candidate PDF: one page ($one_page found)" [ "$one_page" -eq 1 ]
check "six candidates rendered" [ "$candidates" -eq 6 ]

echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
