#!/usr/bin/env bash
# The README's first command: install, build, and show detached gadgets and what
# they cost the kernel. Runs a private daemon in a temp dir and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

# ninja's "[N/M] ..." lines as one updating line on a terminal, or a line per tenth
# of the build otherwise: the first build compiles ~200 files and takes minutes.
show_progress() {
  local tty=0
  [[ -t 1 ]] && tty=1
  awk -v tty="$tty" '
    match($0, /^\[[0-9]+\/[0-9]+\]/) {
      split(substr($0, 2, RLENGTH - 2), n, "/")
      pct = int(100 * n[1] / n[2])
      if (tty) printf "\r  built %d of %d (%d%%)", n[1], n[2], pct
      else if (pct >= next_pct) { printf "  built %d of %d (%d%%)\n", n[1], n[2], pct; next_pct = pct - pct % 10 + 10 }
      fflush()
    }
    END { if (tty) printf "\n" }'
}
build_log=$(mktemp /tmp/ig-demo-build.XXXXXX)
echo "building ig into ./build (the first build takes a few minutes; log: $build_log)"
if ! scripts/build.sh 2>&1 | tee "$build_log" | show_progress; then
  tail -n 30 "$build_log" >&2
  echo "demo: the build failed; the whole log is $build_log" >&2
  exit 1
fi
rm -f "$build_log"
echo

demo=$(mktemp -d /tmp/ig-demo.XXXXXX)
export IG_CONFIG="$demo/config.toml"
cat >"$IG_CONFIG" <<TOML
socket = "$demo/ig.sock"
pid_file = "$demo/ig.pid"
state_dir = "$demo/state"
TOML
ig=./build/host/ig
cleanup() {
  $ig remove --all >/dev/null 2>&1 || true
  [[ -f $demo/ig.pid ]] && kill "$(cat "$demo/ig.pid")" 2>/dev/null || true
  sleep 0.2
  rm -rf "$demo"
}
trap cleanup EXIT

run() { echo "\$ $*"; "$@"; echo; }
run $ig gadgets
run $ig run --name mytraceopen trace_open --detach
run $ig run --name mytraceexec trace_exec --detach
run $ig list
# Some opens and execs while bpfstats samples, so the gadgets have a cost to show.
( for i in $(seq 300); do cat /etc/hostname /nonexistent >/dev/null 2>&1 || true; sleep 0.005; done ) &
load=$!
run $ig run bpfstats
run $ig run bpfstats --all --fields progID,progName,runtime,runcount,mapMemory,mapCount,gadgetName
wait $load || true
run $ig run trace_open --timeout 1 --comm cat --failed --fields comm,pid,error,path &
sleep 0.5; cat /nonexistent-demo-file 2>/dev/null || true; wait
run $ig remove mytraceopen mytraceexec
run $ig list
