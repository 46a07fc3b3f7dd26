#!/bin/sh
# deps.sh [GROUP...]: installs, with apt-get, the packages of each GROUP that this Debian 12
# machine lacks; every group when none is named.  Safe to run again: it only installs what is
# missing.
#   build   make, make demo, make install, make unit-test
#   test    make test and make bench, beyond the build group
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
}

groups=${*:-build test}
need=""
for group in $groups; do
    case $group in
        build) need="$need $(build_deps)" ;;
        test) need="$need $(test_deps)" ;;
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
