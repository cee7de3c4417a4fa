#!/usr/bin/env bash
# The README's second command: install, build, and run every test (unit and real
# kernel). Prints one closing line: N passed, N failed, N skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
status=0
meson test -C build --print-errorlogs --num-processes 1 "$@" || status=$?
python3 scripts/test_summary.py build/meson-logs/testlog.json
exit $status
