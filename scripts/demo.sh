#!/usr/bin/env bash
# The README's first command: install, build, and show detached gadgets and what
# they cost the kernel. Runs a private daemon in a temp dir and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null

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
