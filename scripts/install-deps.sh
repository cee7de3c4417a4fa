#!/usr/bin/env bash
# Install what ig needs to build, test and benchmark, from Debian 12's packages.
set -euo pipefail
packages=(
  g++ clang llvm meson ninja-build pkg-config python3
  clang-14 libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer and clang's ASan/UBSan runtimes
  libbpf-dev bpftool libelf-dev zlib1g-dev
  libboost-dev libboost-program-options-dev libtomlplusplus-dev libyaml-dev doctest-dev libncurses-dev
  util-linux bpftrace libbpf-tools
  scdoc man-db groff-base
  prometheus python3-yaml curl tmux
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: need root to install: ${missing[*]}; run with sudo" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
