#!/usr/bin/env bash
# Build ig's Debian packages, ig and ig-sdk, with Debian's own tools
# (dpkg-buildpackage, debhelper's dh with meson) and check them with lintian.
# As root on Debian 12: it installs the build dependencies with apt-get first.
#
#   scripts/package.sh            the .debs land in ./dist-deb/
#   scripts/package.sh --test     then install them into a fresh Debian 12 chroot
#                                 and use them (tests/package/install_test.sh)
#   scripts/package.sh --check    build with the unit suite run inside the build
#
# The build runs on a copy of the tree in a temporary folder (what git tracks plus
# new files it does not ignore), so the tree stays clean and nothing you have not
# written goes in.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }
run_test=0 check=0
for arg in "$@"; do
  case $arg in
    --test) run_test=1 ;;
    --check) check=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "package.sh: unknown argument '$arg'; see scripts/package.sh --help" >&2; exit 2 ;;
  esac
done
if [[ $(id -u) -ne 0 ]]; then
  echo "package.sh: run as root (sudo): it installs build dependencies with apt-get" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }
started=$SECONDS

step "build dependencies (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
tools=(dpkg-dev debhelper lintian fakeroot)
((run_test)) && tools+=(debootstrap)
apt-get install -y -q --no-install-recommends "${tools[@]}"
apt-get build-dep -y -q ./

version=$(dpkg-parsechangelog -S Version)
out=$PWD/dist-deb
# One fixed folder, so that a rebuild hits ccache (the build path is in the flags).
stage=/var/tmp/ig-deb-build
mkdir -p "$stage"
exec 9>"$stage.lock"
flock -n 9 || { echo "package.sh: another package.sh is building in $stage; wait for it" >&2; exit 1; }
rm -rf --one-file-system "${stage:?}"/*
trap 'rm -rf --one-file-system "${stage:?}"/*' EXIT
src=$stage/ig-$version
mkdir -p "$src"

step "copy the tree to $src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -C "$src" -xf -
else
  tar --exclude=./build --exclude='./build-*' --exclude=./dist-deb --exclude=./debian/build -cf - . |
    tar -C "$src" -xf -
fi

step "dpkg-buildpackage -b -us -uc (ig $version)"
build_started=$SECONDS
if ((check)); then
  (cd "$src" && dpkg-buildpackage -b -us -uc)
else
  # nocheck: the tests run in scripts/test.sh and CI (debian/rules says more).
  (cd "$src" && DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -b -us -uc -Pnocheck)
fi
build_seconds=$((SECONDS - build_started))

rm -rf "$out"
mkdir -p "$out"
shopt -s nullglob
mv "$stage"/*.deb "$stage"/*.ddeb "$stage"/*.buildinfo "$stage"/*.changes "$out"/
shopt -u nullglob

step "lintian"
# Errors fail the build; the warnings left are listed, with why, in README.md.
lintian --fail-on error --display-info "$out"/*.changes

step "built in ${build_seconds}s:"
ls -l "$out"

if ((run_test)); then
  step "install test"
  tests/package/install_test.sh "$out"
fi
echo "package.sh: done in $((SECONDS - started))s; packages in $out"
