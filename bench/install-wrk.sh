#!/usr/bin/env bash
# Install wrk, the load tool of make bench and make soak, if it is missing
# (Debian's package; needs root or sudo).
set -euo pipefail
if ! command -v wrk >/dev/null; then
    echo "== installing wrk"
    sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq wrk >/dev/null
fi
