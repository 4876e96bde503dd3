#!/usr/bin/env bash
# Installs the Debian packages the project needs (Debian 12). Idempotent and quiet when done.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcpp-httplib-dev libcli11-dev libfmt-dev libyaml-cpp-dev
  libsqlite3-dev sqlite3 libssl-dev libcurl4-openssl-dev libpq-dev
  python3 python3-yaml python3-matplotlib
  iproute2  # ss: bench/peers.sh checks the peers' ports
  python3-aiosmtpd  # the approvals e-mail tests run a real SMTP server on it
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere (e.g. NodeSource, which bundles npm and conflicts with Debian's
# npm package): install Debian's only when the commands are missing.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
