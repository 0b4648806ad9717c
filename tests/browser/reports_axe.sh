#!/usr/bin/env bash
# Accessibility of the HTML reports (see reports_axe.mjs): generates every
# kind of HTML page (score, compare, audit, profile calibrate, and the paper
# form of template) from the example files and runs axe-core on each in
# headless Chromium, at desktop width and at 390 px. Needs chromium,
# chromium-driver (chromedriver), node and the npm package axe-core, which
# this script installs into tests/browser/node_modules when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

what="reports axe test"
# shellcheck source=tests/browser/axe_setup.sh
. tests/browser/axe_setup.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

data=examples/applicants.csv
# Exit code 1 (some rows rejected) is expected: the example has a bad row.
# The messages are shown only when the command fails otherwise.
quiet() {
    local code=0
    "$@" 2>"$out/stderr" || code=$?
    if [ "$code" -gt 1 ]; then
        cat "$out/stderr" >&2
        return "$code"
    fi
}
quiet "$bin" score "$data" --role retail --format html --out "$out/site"
quiet "$bin" score "$data" --role retail --format html >"$out/document.html"
quiet "$bin" compare "$data" --role retail --ids APP-1017,APP-1013 --format html >"$out/compare-2.html"
quiet "$bin" compare "$data" --role retail --ids APP-1017,APP-1013,APP-1016,APP-1003 \
    --format html >"$out/compare-4.html"
quiet "$bin" score "$data" --role retail --out "$out/results"
quiet "$bin" audit "$out/results/results.csv" --groups examples/applicants-groups.csv \
    --group sex --group age_band --band good --date 2025-03-31 --format html --out "$out/audit.html"
quiet "$bin" profile calibrate examples/incumbents.csv --performance rating --group site \
    --name "Example front desk" --out "$out/profile.json" --report "$out/calibration.html" --format html
quiet "$bin" template --format html >"$out/paper-form.html"

pages=("$out/site/index.html" "$out/site/candidates/"*.html "$out/document.html"
    "$out/compare-2.html" "$out/compare-4.html" "$out/audit.html" "$out/calibration.html"
    "$out/paper-form.html")
timeout 900 node tests/browser/reports_axe.mjs "$axe" "${pages[@]}"
