#!/bin/sh
# Installs CRIU (checkpoint/restore in user space), which `jrun checkpoint` and `jrun restore`
# run, as /usr/local/sbin/criu.  Debian 12's criu 3.17 fails `criu check` on current kernels
# (it cannot read their vDSO layout), so CRIU is built from the source archive and build
# script the team keeps in shared/criu: the first of $JRUN_CRIU_SRC, ../shared/criu beside the
# repository, /work/shared/criu that holds build.sh.  Does nothing when the installed criu
# already has that version.  Needs root (apt-get for the build dependencies).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=""
for dir in "${JRUN_CRIU_SRC:-}" "$top/../shared/criu" /work/shared/criu; do
    if [ -n "$dir" ] && [ -f "$dir/build.sh" ]; then
        src=$(cd "$dir" && pwd)
        break
    fi
done
if [ -z "$src" ]; then
    echo "criu: no CRIU source found (set JRUN_CRIU_SRC to the directory holding build.sh)" >&2
    exit 1
fi
archive=$(ls "$src"/criu-*.tar.gz | head -1)
version=$(basename "$archive" .tar.gz | sed 's/^criu-//')
installed=/usr/local/sbin/criu
if [ -x "$installed" ] && "$installed" --version 2>/dev/null | grep -qx "Version: $version"; then
    exit 0
fi

# build.sh lists what it needs to build CRIU
deps=$(sed -n 's/^# Build dependencies (Debian 12): //p; s/^#   \(.*[a-z].*\)$/\1/p' "$src/build.sh" | tr '\n' ' ')
missing=""
for pkg in $deps; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    echo "criu: installing build dependencies:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

work=$(mktemp -d /tmp/jrun-criu-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "criu: building $version from $archive"
binary=$(sh "$src/build.sh" "$work" | tail -1)
install -m 0755 "$binary" "$installed"
echo "criu: installed $("$installed" --version | head -1) as $installed"
