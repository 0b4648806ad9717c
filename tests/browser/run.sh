#!/usr/bin/env bash
# Real-browser test of the HTML reports: headless Chromium renders the batch
# index and one candidate page to PNG, and the one-document report and a
# candidate page to PDF. Checks: every file exists and is not trivially
# small, and print CSS gives one PDF page per candidate (plus the summary page).
# Then paper: every candidate page of the example site and of a long-page
# fixture, and comparisons of 2, 3 and 4 candidates (US Letter, Chromium's
# default, and A4), printed and their pages counted and read back.
# Needs `chromium` and `pdftotext` (Debian's chromium and poppler-utils);
# .ci/run installs them when CI=true.
set -euo pipefail
cd "$(dirname "$0")/../.."

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "browser test: chromium not found (apt-get install chromium)" >&2
    exit 1
fi
if ! command -v pdftotext >/dev/null; then
    echo "browser test: pdftotext not found (apt-get install poppler-utils)" >&2
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
pdf_pages() { { grep -a -o -E '/Type ?/Page([^s]|$)' "$1" 2>/dev/null || true; } | wc -l; }

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

# On paper. Chromium prints on US Letter unless the page asks otherwise;
# a4 FILE writes a copy that asks for A4.
a4() { sed 's|</style>|@media print{@page{size:A4}}</style>|' "$1" >"${1%.html}-a4.html"; }
# Prints each HTML file to a PDF beside it, two browsers at a time.
print_all() {
    local running=0 file
    for file in "$@"; do
        chrome --print-to-pdf="${file%.html}.pdf" "file://$file" &
        running=$((running + 1))
        if [ "$running" -eq 2 ]; then
            wait
            running=0
        fi
    done
    wait
}
# The text of page $2 of PDF $1, one line per line of print, blank lines dropped.
page_text() { pdftotext -layout -f "$2" -l "$2" "$1" - | grep -v '^[[:space:]]*$' || true; }
# A last page holds more than a lone heading or a single list item: at least
# five lines (a heading is one, the longest item of these reports three).
last_page_carries_content() {
    local pages
    pages=$(pdf_pages "$1")
    [ "$pages" -eq 1 ] || [ "$(page_text "$1" "$pages" | wc -l)" -ge 5 ]
}

# Every candidate page of the example site fits one page; so does each at A4.
# With the long-page fixture (narrow bands, long reasons) some of eight
# chosen candidates (with valid, caution and invalid answers) need two;
# their second page must carry real content.
"$bin" score examples/applicants.csv --role retail --format html --out "$out/example" 2>/dev/null || [ $? -eq 1 ]
"$bin" score examples/applicants.csv --role tests/fixtures/print/long-profile.json \
    --format html --out "$out/long" 2>/dev/null || [ $? -eq 1 ]
mapfile -t example_pages < <(find "$out/example/candidates" -name '*.html' | sort)
long_pages=()
for id in APP-1001 APP-1005 APP-1008 APP-1013 APP-1015 APP-1022 APP-1023 APP-1030; do
    long_pages+=("$out/long/candidates/$id.html")
done
print_all "${example_pages[@]}" "${long_pages[@]}"
check "29 example candidate pages printed" [ "${#example_pages[@]}" -eq 29 ]
for html in "${example_pages[@]}"; do
    pdf=${html%.html}.pdf
    check "$(basename "$html"): one printed page ($(pdf_pages "$pdf") found)" [ "$(pdf_pages "$pdf")" -eq 1 ]
done
two=0
for html in "${long_pages[@]}"; do
    pdf=${html%.html}.pdf
    pages=$(pdf_pages "$pdf")
    [ "$pages" -eq 2 ] && two=$((two + 1))
    check "long $(basename "$html"): one or two pages ($pages found)" test "$pages" -ge 1 -a "$pages" -le 2
    check "long $(basename "$html"): the last page is more than a heading or one item" last_page_carries_content "$pdf"
done
check "the long fixture has pages that need two sheets ($two found)" [ "$two" -ge 3 ]

# Comparisons of 2, 3 and 4 (the 4 with the most gaps, one with caution and
# one invalid): the comparison on exactly one page, the guide on the next.
compare_sets=("APP-1022,APP-1023" "APP-1001,APP-1013,APP-1022" "APP-1025,APP-1013,APP-1021,APP-1005" "APP-1025,APP-1013,APP-1022,APP-1029")
compare_files=()
for ids in "${compare_sets[@]}"; do
    html="$out/compare-${ids//,/-}.html"
    "$bin" compare examples/applicants.csv --role retail --ids "$ids" --format html >"$html" 2>/dev/null || [ $? -eq 1 ]
    a4 "$html"
    compare_files+=("$html" "${html%.html}-a4.html")
done
print_all "${compare_files[@]}"
for html in "${compare_files[@]}"; do
    pdf=${html%.html}.pdf
    name=$(basename "$pdf")
    check "$name: comparison and guide, one page each ($(pdf_pages "$pdf") found)" [ "$(pdf_pages "$pdf")" -eq 2 ]
    check "$name: no guide on the comparison's page" bash -c "! pdftotext -f 1 -l 1 '$pdf' - | grep -q 'Interview guide'"
    check "$name: the second page is the guide" bash -c "pdftotext -f 2 -l 2 '$pdf' - | head -n 1 | grep -q '^Interview guide'"
    check "$name: the guide's page is more than a heading or one item" last_page_carries_content "$pdf"
done
check "batch PDF: the last page is more than a heading or one item" last_page_carries_content "$out/all.pdf"

echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
