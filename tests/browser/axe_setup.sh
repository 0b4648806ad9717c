# Sourced by the browser tests that drive Chromium through chromium-driver and
# run axe-core (serve.sh, reports_axe.sh): checks the tools, installs the
# pinned axe-core into tests/browser/node_modules when missing, builds the
# binary. Sets `axe` (the script to inject) and `bin`. `$what` names the test
# in messages.
for tool in chromium chromedriver node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "$what: $tool not found (apt-get install chromium chromium-driver nodejs npm)" >&2
        exit 1
    fi
done
axe=tests/browser/node_modules/axe-core/axe.min.js
if [ ! -f "$axe" ]; then
    (cd tests/browser && npm install --no-save --no-audit --no-fund axe-core@4.14.1 >/dev/null)
fi
cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/servicefit"
