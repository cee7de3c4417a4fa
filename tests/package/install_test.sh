#!/usr/bin/env bash
# Install the built ig and ig-sdk .debs the way an SRE does, with
# `apt-get install ./ig_*.deb ./ig-sdk_*.deb`, into a fresh Debian 12 root made with
# debootstrap, then use them there: ig gadgets, ig run trace_open with a real event,
# the conffile, every examples/NAME built against the installed ig-sdk (pkg-config),
# and hello_gadget's plugin run. Last, apt-get purge leaves nothing behind.
#
#   tests/package/install_test.sh DEBDIR      (scripts/package.sh --test runs it)
#
# Root, network to deb.debian.org. Not part of `meson test`: it needs the packages
# built first and downloads ~150 MB into the chroot.
#
# The chroot needs the kernel's /proc, /sys, /sys/fs/bpf and tracefs. Everything
# runs in a private mount namespace (unshare), so no mount is ever visible outside
# it, and the EXIT trap still stops every process in the chroot and unmounts
# everything under it, deepest first, before deleting it.
#
# A pristine debootstrap is cached as a tarball in $IG_CHROOT_CACHE (default
# /var/cache/ig-package-test, refreshed after 7 days) with apt's downloaded .debs,
# so a second run skips debootstrap and most downloads; each run still unpacks a
# fresh root.
set -euo pipefail

debdir=$(realpath "${1:?usage: tests/package/install_test.sh DEBDIR (holding ig_*.deb and ig-sdk_*.deb)}")
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "install_test: run as root (debootstrap, chroot, mounts)" >&2
  exit 1
fi
if [[ -z ${IG_INSTALL_TEST_NS:-} ]]; then
  exec unshare --mount --propagation private env IG_INSTALL_TEST_NS=1 "$0" "$@"
fi

suite=bookworm
mirror=http://deb.debian.org/debian
arch=$(dpkg --print-architecture)
cache=${IG_CHROOT_CACHE:-/var/cache/ig-package-test}
base=$cache/$suite-minbase-$arch.tar
work=$(mktemp -d /var/tmp/ig-install-test.XXXXXX)
root=$work/root
started=$SECONDS

say() { printf '== %s (%ds)\n' "$*" $((SECONDS - started)); }
fail() { echo "FAIL install_test: $*" >&2; exit 1; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

mounts_under_root() { awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r; }

# Every process whose root is the chroot: the ig daemon a command started, and
# anything left by a failed step. Only ours: nothing else lives in this chroot.
chroot_pids() {
  local p
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] && echo "${p#/proc/}"
  done
  return 0
}

cleanup() {
  local status=$? pids m i
  pids=$(chroot_pids)
  if [[ -n $pids ]]; then
    kill -TERM $pids 2>/dev/null || true
    for i in $(seq 50); do [[ -z $(chroot_pids) ]] && break; sleep 0.1; done
    pids=$(chroot_pids)
    [[ -n $pids ]] && kill -KILL $pids 2>/dev/null || true
  fi
  for m in $(mounts_under_root); do umount "$m" 2>/dev/null || umount -l "$m"; done
  if [[ -n $(mounts_under_root) ]]; then
    echo "install_test: still mounted, $work kept: $(mounts_under_root | tr '\n' ' ')" >&2
    exit 1
  fi
  rm -rf --one-file-system "$work"
  exit $status
}
trap cleanup EXIT

mount_kernel_filesystems() {
  mount -t proc proc "$root/proc"
  mount --bind /sys "$root/sys"
  mount --bind /sys/fs/bpf "$root/sys/fs/bpf"
  if mountpoint -q /sys/kernel/tracing; then mount --bind /sys/kernel/tracing "$root/sys/kernel/tracing"; fi
}

shopt -s nullglob
ig_debs=("$debdir"/ig_*.deb)
sdk_debs=("$debdir"/ig-sdk_*.deb)
shopt -u nullglob
((${#ig_debs[@]} == 1 && ${#sdk_debs[@]} == 1)) ||
  fail "expected one ig_*.deb and one ig-sdk_*.deb in '$debdir'; build them with scripts/package.sh"
[[ -r /sys/kernel/btf/vmlinux ]] || fail "this kernel has no BTF (/sys/kernel/btf/vmlinux): ig cannot run here"

# --- a fresh Debian 12 root --------------------------------------------------
mkdir -p "$cache/archives/partial" "$root"
if [[ -f $base && -z $(find "$base" -mtime +7) ]]; then
  say "unpack the cached debootstrap ($base)"
  tar -C "$root" -xpf "$base"
else
  say "debootstrap --variant=minbase $suite"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap failed (log above)"; }
  in_root apt-get clean
  tar -C "$root" -cpf "$base.new" . && mv "$base.new" "$base"
fi
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
EOF
# No service starts inside the chroot (there is no systemd here anyway).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A throwaway root: dpkg need not fsync every file it unpacks (clang is large).
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/ig-install-test"
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
mount_kernel_filesystems

# --- apt-get install ./ig_*.deb ./ig-sdk_*.deb --------------------------------
mkdir -p "$root/tmp/debs"
cp "${ig_debs[0]}" "${sdk_debs[0]}" "$root/tmp/debs/"
say "apt-get install ./$(basename "${ig_debs[0]}") ./$(basename "${sdk_debs[0]}")"
in_root apt-get update -q >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; fail "apt-get update failed"; }
in_root sh -c 'cd /tmp/debs && apt-get install -y -q ./ig_*.deb ./ig-sdk_*.deb' >>"$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log" >&2; fail "apt-get install of the .debs failed (log above)"; }
grep -E '^(Setting up|Unpacking) ig' "$work/apt.log" || true

# --- what the packages put where ------------------------------------------------
say "files, conffile, pkg-config"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
plugindir=/usr/lib/$multiarch/ig/plugins
for f in /usr/bin/ig $plugindir/trace_open.so $plugindir/trace_exec.so $plugindir/bpfstats.so \
         /lib/systemd/system/ig.service /etc/ig/config.toml \
         /usr/share/man/man1/ig.1.gz /usr/share/man/man1/ig-trace_open.1.gz /usr/share/man/man1/ig-trace_exec.1.gz \
         /usr/share/man/man1/ig-bpfstats.1.gz /usr/share/man/man5/ig.toml.5.gz /usr/share/man/man7/ig-bpfstats.7.gz \
         /usr/share/bash-completion/completions/ig \
         /usr/include/ig/ig.h /usr/share/ig/plugin.map /usr/libexec/ig/ig-bpf-skeleton; do
  [[ -e $root$f ]] || fail "'$f' was not installed"
done
in_root dpkg-query -W -f='${Conffiles}\n' ig | grep -q ' /etc/ig/config.toml ' ||
  fail "/etc/ig/config.toml is not a conffile of ig"
got=$(in_root pkg-config --variable=plugindir ig-sdk)  # relocatable: ${pcfiledir}/../../..
[[ $(realpath -m "$got") == "$plugindir" ]] || fail "pkg-config --variable=plugindir ig-sdk says '$got', ig looks in '$plugindir'"

# --- ig as an SRE uses it -----------------------------------------------------
say "ig version; ig gadgets"
in_root ig version 2>"$work/stderr" || fail "ig version failed: $(cat "$work/stderr")"
[[ ! -s $work/stderr ]] || fail "ig version with the shipped config warns: $(cat "$work/stderr")"
gadgets=$(in_root ig gadgets)
echo "$gadgets"
for g in trace_open trace_exec bpfstats; do
  grep -q "^$g " <<<"$gadgets" || fail "'ig gadgets' does not list $g"
done
grep -q "^trace_unlink " <<<"$gadgets" && fail "'ig gadgets' lists the in-tree example trace_unlink"

# Events come while the loop runs: one in the chroot, system-wide, as a user's would.
start_loop() { ( while :; do in_root sh -c "$1" >/dev/null 2>&1 || true; sleep 0.05; done ) & loop=$!; }
stop_loop() { kill "$loop" 2>/dev/null || true; wait "$loop" 2>/dev/null || true; }

say "ig run trace_open --timeout 1 (an open inside the chroot must show)"
in_root ig list >/dev/null  # starts the daemon, so the run attaches at once
marker=/tmp/ig-install-test-$$
start_loop "cat $marker"
in_root ig run trace_open --timeout 1 --fields comm,error,path >"$work/trace_open.out" 2>"$work/stderr" ||
  { stop_loop; fail "ig run trace_open --timeout 1 failed: $(cat "$work/stderr")"; }
stop_loop
head -1 "$work/trace_open.out"
grep -m1 -E "^cat +ENOENT +$marker\$" "$work/trace_open.out" ||
  fail "trace_open did not show cat's failed open of '$marker'; stderr: $(cat "$work/stderr")"

# --- a gadget built against the installed ig-sdk ------------------------------
for example in "$source_dir"/examples/*/; do
  name=$(basename "$example")
  say "build examples/$name against the installed ig-sdk"
  mkdir -p "$root/root/examples"
  cp -r "$example" "$root/root/examples/$name"
  rm -rf "$root/root/examples/$name/build"
  in_root sh -c "cd /root/examples/$name && meson setup build && meson compile -C build" >"$work/example.log" 2>&1 ||
    { tail -30 "$work/example.log" >&2; fail "examples/$name does not build against the installed ig-sdk"; }
done
say "run examples/hello_gadget's trace_unlink (an rm inside the chroot must show)"
in_root install -D -m 0644 /root/examples/hello_gadget/build/trace_unlink.so /opt/ig-dev/trace_unlink.so
victim=/tmp/ig-install-test-unlink-$$
start_loop "touch $victim && rm $victim"
in_root ig run /opt/ig-dev/trace_unlink.so --timeout 1 --fields comm,error,path >"$work/unlink.out" 2>"$work/stderr" ||
  { stop_loop; fail "the example gadget did not run: $(cat "$work/stderr")"; }
stop_loop
grep -m1 -E "^rm +$victim\$" "$work/unlink.out" || fail "the example gadget did not see rm '$victim': $(head -5 "$work/unlink.out")"

# --- the daemon goes, and purge leaves nothing --------------------------------
say "stop the daemon; apt-get purge ig ig-sdk"
pid=$(cat "$root/run/ig/ig.pid" 2>/dev/null || true)
if [[ -n $pid ]]; then
  kill -TERM "$pid"
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "the ig daemon (pid $pid) did not stop on SIGTERM"
fi
in_root apt-get purge -y -q ig ig-sdk >>"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; fail "apt-get purge failed"; }
for f in /usr/bin/ig /etc/ig /usr/lib/$multiarch/ig /usr/include/ig /usr/share/ig /usr/libexec/ig /var/lib/ig; do
  [[ ! -e $root$f ]] || fail "'$f' is left after apt-get purge ig ig-sdk"
done

say "PASS install_test"
