#!/usr/bin/env bash
# Installs the system packages swift-fhe builds against, when they are missing.
# Idempotent: does nothing when everything is installed. Needs root (or sudo) to install.
#   scripts/setup.sh            install what is missing
#   scripts/setup.sh --dry-run  print what would be installed, install nothing
set -euo pipefail

PACKAGES=(libfftw3-dev libomp-dev libssl-dev pkg-config)

missing=()
for package in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup: all system packages present (${PACKAGES[*]})"
    exit 0
fi
if [[ "${1:-}" == "--dry-run" ]]; then
    echo "setup: would install ${missing[*]}"
    exit 0
fi

run_as_root=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root to install ${missing[*]}" >&2; exit 1; }
    run_as_root=(sudo)
fi
echo "setup: installing ${missing[*]}"
# A fresh machine's package lists may be empty: update them first.
"${run_as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
