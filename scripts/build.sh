#!/usr/bin/env bash
# Configure (once) and build ig into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/build.ninja ]] || meson setup build --buildtype=debugoptimized
ninja -C build
