#!/bin/sh
# deps.sh [GROUP...]: installs, with apt-get, the packages of each GROUP that this Debian 12
# machine lacks; every group when none is named.  Safe to run again: it only installs what is
# missing.
#   build   make, make demo, make install, make unit-test
#   test    make test, make conformance and make bench, beyond the build group: with the
#           packages, Go from bookworm-backports and CRIU built from its source
set -eu

build_deps() {
    # static jrun-init and probe: libc6-dev's libc.a; unzip: assemble.sh; libseccomp2: jrun
    # itself loads it; busybox-static: the demo's and the tests' rootfs
    echo openjdk-17-jdk-headless maven make gcc libc6-dev unzip busybox-static libseccomp2
}

test_deps() {
    # the container managers the end-to-end tests (cli/src/test/java/dev/jrun/cli/it/managers)
    # and bench/managers.sh run jrun under
    echo containerd podman conmon docker.io
    # python3: the tests' console and seccomp-agent helpers, and the bench reports; procps and
    # util-linux: ps, unshare, setsid in the tests and the cgroup v2 guest's script;
    # runc and hyperfine: make bench
    echo python3 procps util-linux runc hyperfine
    # man-db and groff-base: the install test reads the man pages as man and groff do
    echo man-db groff-base
}

groups=${*:-build test}
need=""
testing=false
for group in $groups; do
    case $group in
        build) need="$need $(build_deps)" ;;
        test) need="$need $(test_deps)"; testing=true ;;
        *) echo "deps: no group named $group (build, test)" >&2; exit 2 ;;
    esac
done
missing=""
for pkg in $need; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "deps: missing packages:$missing; run as root (or: sudo apt-get install$missing)" >&2
        exit 1
    fi
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Go >= 1.21 builds the OCI runtime-tools suite for `make conformance`; bookworm itself has only
# 1.19, so this one package comes from bookworm-backports.  The suite is added (from the mirror
# the bookworm suite already uses) only if no apt source carries it yet.
if [ "$testing" = true ] && ! dpkg-query -W -f='${Status}' golang-1.23-go 2>/dev/null | grep -q "install ok installed"; then
    if [ "$(id -u)" != 0 ]; then
        echo "deps: missing golang-1.23-go (bookworm-backports); run as root" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get indextargets --format '$(CODENAME)' | grep -qx bookworm-backports; then
        mirror=$(apt-get indextargets --format '$(CODENAME) $(REPO_URI)' \
            | awk '$1 == "bookworm" { print $2; exit }')
        [ -n "$mirror" ] || { echo "deps: no apt source for bookworm to take a mirror from" >&2; exit 1; }
        echo "deps: adding bookworm-backports ($mirror)"
        cat >/etc/apt/sources.list.d/bookworm-backports.sources <<EOS
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
    fi
    echo "deps: installing golang-1.23-go from bookworm-backports"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends -t bookworm-backports golang-1.23-go >/dev/null
fi

# --- checkpoint/restore (separate from the package list above) -------------------------------
# The checkpoint tests need a CRIU that works on this kernel: built from shared/criu, installed
# as /usr/local/sbin/criu, skipped when that version is already there.
if [ "$testing" = true ]; then
    sh "$(dirname "$0")/criu.sh"
fi
