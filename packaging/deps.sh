#!/bin/sh
# Installs, with apt-get, whatever building and testing jrun needs and this Debian 12 machine
# lacks.  Safe to run again: it only installs what is missing.
set -eu
need="openjdk-17-jdk-headless maven make gcc libc6-dev unzip busybox-static libseccomp2 python3 util-linux runc hyperfine"
# the container managers the end-to-end tests (cli/src/test/java/dev/jrun/cli/it/managers) and
# bench/managers.sh run jrun under: containerd (with ctr), podman (with conmon), docker
need="$need containerd podman conmon docker.io"
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

# --- checkpoint/restore (separate from the package list above) -------------------------------
# The checkpoint tests need a CRIU that works on this kernel: built from shared/criu, installed
# as /usr/local/sbin/criu, skipped when that version is already there.
sh "$(dirname "$0")/criu.sh"
