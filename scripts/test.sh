#!/usr/bin/env bash
# The README's second command: install, build, and run every test:
#   1. the unit and real-kernel suites (./build);
#   2. every libFuzzer target for IG_FUZZ_SECONDS each (default 20), over its seed
#      corpus, so a parser regression fails here (scripts/fuzz.sh; ./build-fuzz);
#   3. the unit and kernel suites again under ASan+UBSan (scripts/test-sanitize.sh;
#      ./build-asan).
# Arguments go to `meson test` in ./build and run only step 1 (e.g. a test name).
# Prints the time of each step, and one closing line over all of them:
# N passed, N failed, N skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

status=0
logs=()
missing=$(mktemp -d)
trap 'rm -rf "$missing"' EXIT
step() {  # step NAME LOG COMMAND...: run it, time it, keep its log for the summary
  local name=$1 log=$2 started=$SECONDS
  shift 2
  "$@" || status=1
  echo "test: $name took $((SECONDS - started)) s"
  if [[ ! -f $log ]]; then  # it failed before any test ran (a build error, say): one failure
    log=$missing/${#logs[@]}.json
    echo "{\"name\": \"$name\", \"result\": \"FAIL\"}" >"$log"
  fi
  logs+=("$log")
}
rm -f build-fuzz/fuzz/fuzzlog.json build-asan/meson-logs/testlog.json build-asan/meson-logs/sanitizer-reports.json
step "unit and kernel suites" build/meson-logs/testlog.json \
  meson test -C build --print-errorlogs --num-processes 1 "$@"
if (($# == 0)); then
  step "fuzz targets" build-fuzz/fuzz/fuzzlog.json scripts/fuzz.sh "${IG_FUZZ_SECONDS:-20}"
  step "suites under ASan+UBSan" build-asan/meson-logs/testlog.json scripts/test-sanitize.sh
  [[ ! -f build-asan/meson-logs/sanitizer-reports.json ]] || logs+=(build-asan/meson-logs/sanitizer-reports.json)
fi
python3 scripts/test_summary.py "${logs[@]}"
exit $status
