#!/usr/bin/env bash
# Real-browser test of `servicefit serve` (see serve.mjs): needs chromium,
# chromium-driver (chromedriver), node and the npm package axe-core, which
# this script installs into tests/browser/node_modules when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

what="serve browser test"
# shellcheck source=tests/browser/axe_setup.sh
. tests/browser/axe_setup.sh
timeout 600 node tests/browser/serve.mjs "$bin" "$axe" docs
