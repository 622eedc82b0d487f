#!/usr/bin/env bash
# Installs headless Chromium (Debian 12 apt package `chromium`, about 100 MB) for the browser
# tests: tests/report_xss_test.cc opens a hostile report in it and checks that no script ran.
# Without it that test is skipped, so CI (.ci/run) installs it; developers may skip this.
# Idempotent; runs apt-get directly as root, through sudo otherwise.
set -euo pipefail

if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup-browser: need root or sudo to install chromium" >&2
    exit 1
  fi
  sudo="sudo"
fi
echo "setup-browser: installing chromium"
$sudo apt-get update -qq
# As DEPENDENCIES.md's recipe (with recommends: fonts-liberation, DejaVu).
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
