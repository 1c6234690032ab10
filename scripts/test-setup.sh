#!/usr/bin/env bash
# Checks what scripts/setup.sh would do on a fresh machine, without touching this one:
# a stand-in dpkg-query on PATH reports every package (or none) as missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT

check() {   # expected-output, dpkg-query behaviour
    cat > "$fake/dpkg-query" <<STUB
#!/bin/sh
$2
STUB
    chmod +x "$fake/dpkg-query"
    local output
    output=$(PATH="$fake:$PATH" "$here/setup.sh" --dry-run)
    if [[ "$output" != "$1" ]]; then
        echo "setup test failed: expected '$1', got '$output'" >&2
        exit 1
    fi
}

check "setup: would install libfftw3-dev libomp-dev libssl-dev pkg-config" 'exit 1'
check "setup: would install libomp-dev" 'if [ "$3" = libomp-dev ]; then exit 1; fi; printf "install ok installed"'
check "setup: all system packages present (libfftw3-dev libomp-dev libssl-dev pkg-config)" 'printf "install ok installed"'
echo "setup: 3 passed, 0 failed"
