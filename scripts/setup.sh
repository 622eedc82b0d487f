#!/usr/bin/env bash
# Installs the Debian 12 packages safeval builds against, only those that are missing.
# Idempotent; runs apt-get directly as root, through sudo otherwise.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  nlohmann-json3-dev libyaml-cpp-dev libcurl4-openssl-dev libcpp-httplib-dev libsqlite3-dev
  libcli11-dev libfmt-dev libspdlog-dev libvectorscan-dev libre2-dev libgtest-dev libgmock-dev
  libbenchmark-dev libxxhash-dev libutf8proc-dev libssl-dev libpqxx-dev libpq-dev libsimdjson-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# hyperscan and vectorscan conflict and provide the same API; either one is fine.
if [[ " ${missing[*]} " == *" libvectorscan-dev "* ]] &&
   dpkg-query -W -f='${Status}' libhyperscan-dev 2>/dev/null | grep -q "install ok installed"; then
  missing=("${missing[@]/libvectorscan-dev/}")
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ${missing[*]}
