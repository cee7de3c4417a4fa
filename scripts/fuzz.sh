#!/usr/bin/env bash
# Run every libFuzzer target in tests/fuzz/ for SECONDS each (default 60), under ASan
# and UBSan. Builds build-fuzz (clang, -Dfuzz=true) first when needed. Prints execs
# and crashes per target; exits non-zero when any target crashed.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 600 protocol
#
# New inputs go to build-fuzz/fuzz/corpus/TARGET (the committed seeds in
# tests/fuzz/corpus/TARGET are only read); a crash is saved as
# build-fuzz/fuzz/crashes/TARGET-crash-<sha1>, with the command that replays it.
# build-fuzz/fuzz/fuzzlog.json has one line per target in meson's test-log form,
# for scripts/test_summary.py.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${IG_FUZZ_BUILD:-build-fuzz}

if (($#)); then
  targets=("$@")
else
  targets=()
  for source in tests/fuzz/fuzz_*.cpp; do
    name=${source#tests/fuzz/fuzz_}
    targets+=("${name%.cpp}")
  done
fi

if [[ ! -f $build/build.ninja ]]; then
  CC=clang CXX=clang++ meson setup "$build" -Dfuzz=true >/dev/null
fi
ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz_}" >/dev/null

work=$build/fuzz
mkdir -p "$work/crashes"
log=$work/fuzzlog.json
: >"$log"
failed=0
total_execs=0
for target in "${targets[@]}"; do
  corpus=$work/corpus/$target
  mkdir -p "$corpus"
  before=$(find "$work/crashes" -name "$target-*" | sort)
  output=$work/$target.log
  status=0
  # -rss_limit_mb: ASan's shadow and quarantine count too; the targets need far less.
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/crashes/$target-" \
    "$corpus" "tests/fuzz/corpus/$target" >"$output" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$output" | tail -1)
  execs=${execs:-0}
  total_execs=$((total_execs + execs))
  new_crashes=$(comm -13 <(echo "$before") <(find "$work/crashes" -name "$target-*" | sort) | grep . || true)
  crashes=$(echo -n "$new_crashes" | grep -c . || true)
  inputs=$(find "$corpus" -type f | wc -l)
  if ((status != 0 || crashes > 0)); then
    failed=$((failed + 1))
    ((crashes > 0)) || crashes=1
    printf '%-18s %12s execs  %s CRASH (exit %d)\n' "$target" "$execs" "$crashes" "$status"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz invariant)|runtime error' "$output" | head -5 | sed 's/^/    /'
    for crash in $new_crashes; do echo "    replay: $build/tests/fuzz/fuzz_$target $crash"; done
    echo "    log: $output"
    result=FAIL
  else
    printf '%-18s %12s execs  0 crashes  (%d corpus inputs)\n' "$target" "$execs" "$inputs"
    result=OK
  fi
  printf '{"name": "fuzz_%s", "result": "%s", "execs": %s, "seconds": %s}\n' \
    "$target" "$result" "$execs" "$seconds" >>"$log"
done
echo "fuzz: ${#targets[@]} targets, $total_execs execs, $failed crashed"
((failed == 0))
