#!/usr/bin/env bash
# Real-browser test of `servicefit serve` (see serve.mjs): needs chromium,
# chromium-driver (chromedriver), node and the npm package axe-core, which
# this script installs into tests/browser/node_modules when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in chromium chromedriver node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "serve browser test: $tool not found (apt-get install chromium chromium-driver nodejs npm)" >&2
        exit 1
    fi
done
axe=tests/browser/node_modules/axe-core/axe.min.js
if [ ! -f "$axe" ]; then
    (cd tests/browser && npm install --no-save --no-audit --no-fund axe-core@4.14.1 >/dev/null)
fi
cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/servicefit"
timeout 600 node tests/browser/serve.mjs "$bin" "$axe" docs
