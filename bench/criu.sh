#!/bin/sh
# Checkpoint and restore times, jrun beside runc with the same CRIU: a counting busybox
# container is started with pipes as stdio, checkpointed, restored detached (stdio to a file)
# and deleted, N times each.  Prints the median of each step in milliseconds.
# usage: bench/criu.sh BUNDLE [N]   (BUNDLE: a busybox bundle, e.g. one `make demo` writes)
set -eu
bundle=$(cd "$1" && pwd)
n=${2:-9}
top=$(cd "$(dirname "$0")/.." && pwd)
criu=$(command -v criu)
work=$(mktemp -d /tmp/jrun-bench-criu.XXXXXX)
trap 'rm -rf "$work"' EXIT

ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

bench() {
    name=$1; shift
    : > "$work/$name.cp"; : > "$work/$name.rs"
    i=0
    while [ "$i" -lt "$n" ]; do
        id="bench-criu-$name-$$-$i"
        (sleep 60 | "$@" run -d --bundle "$bundle" "$id" 2>&1 | cat > "$work/out" &)
        while [ "$(wc -l < "$work/out" 2>/dev/null || echo 0)" -lt 1 ]; do sleep 0.05; done
        sleep 0.3
        t0=$(ms); "$@" checkpoint --image-path "$work/img-$name-$i" "$id"; t1=$(ms)
        "$@" restore -d --image-path "$work/img-$name-$i" --bundle "$bundle" "$id" < /dev/null > "$work/restored" 2>&1
        t2=$(ms)
        "$@" delete -f "$id"
        echo $((t1 - t0)) >> "$work/$name.cp"; echo $((t2 - t1)) >> "$work/$name.rs"
        rm -rf "$work/img-$name-$i" "$work/out"
        i=$((i + 1))
    done
    printf '%-6s checkpoint %6s ms   restore %6s ms   (median of %s)\n' "$name" \
        "$(median < "$work/$name.cp")" "$(median < "$work/$name.rs")" "$n"
}

bench jrun "$top/jrun" --root "$work/jrun-root" --criu "$criu"
bench runc runc --root "$work/runc-root" --criu "$criu"
