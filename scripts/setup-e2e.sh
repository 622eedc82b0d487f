#!/usr/bin/env bash
# Installs what the browser tests of the web UI need (tests/e2e/web_ui.mjs, ctest e2e.web_ui):
# headless Chromium from apt (scripts/setup-browser.sh), Node.js and npm from apt when missing,
# and playwright-core (pinned) from npm into $SAFEVAL_E2E_DIR (default ~/.cache/safeval/e2e),
# outside the source tree. playwright-core is only the driver: it downloads no browser.
# Idempotent: does nothing when the pinned version is already there.
# --optional: on any failure print why and exit 0 (the test then reports itself skipped);
# .ci/run calls it without --optional and sets SAFEVAL_E2E_REQUIRED=1, so CI never skips it.
set -euo pipefail

PLAYWRIGHT_CORE_VERSION=1.65.1
optional=0
[ "${1:-}" = "--optional" ] && optional=1
dir="${SAFEVAL_E2E_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/safeval/e2e}"

fail() {
  echo "setup-e2e: $*" >&2
  if [ "$optional" = 1 ]; then
    echo "setup-e2e: the web UI's browser test will be skipped" >&2
    exit 0
  fi
  exit 1
}

installed="$dir/node_modules/playwright-core/package.json"
if [ -f "$installed" ] && grep -q "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$installed" &&
   { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }; then
  exit 0
fi

bash "$(dirname "$0")/setup-browser.sh" || fail "could not install chromium"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "need root or sudo to install nodejs and npm"
    sudo="sudo"
  fi
  echo "setup-e2e: installing nodejs and npm"
  $sudo apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm || fail "could not install nodejs npm"
fi

echo "setup-e2e: installing playwright-core@$PLAYWRIGHT_CORE_VERSION into $dir"
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"name": "safeval-e2e", "private": true}' > "$dir/package.json"
npm install --prefix "$dir" --no-audit --no-fund --silent "playwright-core@$PLAYWRIGHT_CORE_VERSION" ||
  fail "npm install playwright-core@$PLAYWRIGHT_CORE_VERSION failed"
