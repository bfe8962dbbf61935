#!/usr/bin/env bash
# Installs the system packages kb needs, only those missing.
#   scripts/install-deps.sh build   libcmark-dev, pkg-config (to build kb)
#   scripts/install-deps.sh test    the above plus what the test suite drives for real
set -euo pipefail
group=${1:-build}

packages=(libcmark-dev pkg-config)
python_packages=()
if [ "$group" = test ]; then
  packages+=(python3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-deps: apt-get needs root; run as root or install them first: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "install-deps: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
