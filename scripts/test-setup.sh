#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages. Idempotent; needs root (or sudo) for apt-get.
# Today the suite needs nothing beyond Node 20 and `npm ci`; system packages for registry and editor
# end-to-end tests are added here as those suites arrive.
set -euo pipefail
node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 20) { console.error("Node 20 or newer is required (found " + process.version + ")."); process.exit(1); }'
echo "test prerequisites: ok (node $(node --version))"
