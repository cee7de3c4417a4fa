#!/usr/bin/env bash
# The unit and kernel suites under AddressSanitizer, LeakSanitizer and
# UndefinedBehaviorSanitizer: ig, its daemon and every plugin built with
# -Db_sanitize=address,undefined (g++) in build-asan. Run as root, like the kernel
# suite. Extra arguments go to `meson test` (e.g. a test name).
#
# Every process the tests start (the daemons they fork too) writes a finding to its
# own file under build-asan/sanitizer-reports/ instead of a stderr nobody reads; any
# file there fails the run and is printed. Prints one closing line:
# N passed, N failed, N skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${IG_ASAN_BUILD:-build-asan}

if [[ ! -f $build/build.ninja ]]; then
  # debug: compiles about twice as fast as -O2; the suites wait on the kernel, not the CPU.
  meson setup "$build" -Db_sanitize=address,undefined --buildtype=debug >/dev/null
fi
ninja -C "$build"

reports=$PWD/$build/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
# halt_on_error: the first finding ends the process, so a test cannot pass over it.
# detect_leaks at exit of every process.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:print_stacktrace=1:strict_string_checks=1:check_initialization_order=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"

status=0
meson test -C "$build" --suite unit --suite kernel --print-errorlogs --num-processes 1 "$@" || status=$?

# A report from a process whose test still passed (a daemon's leak at exit, say)
# counts as one more failed check in the closing line.
shopt -s nullglob
found=("$reports"/*)
result=OK
if ((${#found[@]})); then
  echo "test-sanitize: ${#found[@]} sanitizer report(s) in $reports:" >&2
  for report in "${found[@]}"; do
    echo "--- $report" >&2
    head -40 "$report" >&2
  done
  status=1
  result=FAIL
fi
echo "{\"name\": \"no sanitizer reports\", \"result\": \"$result\"}" >"$build/meson-logs/sanitizer-reports.json"
python3 scripts/test_summary.py "$build/meson-logs/testlog.json" "$build/meson-logs/sanitizer-reports.json"
exit $status
