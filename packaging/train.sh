#!/bin/sh
# train.sh LIST: runs jrun's subcommands once each with the JVM recording the classes they
# load into LIST (for the class data archive).  $JRUN is the launcher to train.  Without root
# only the commands that need no container run; as root a busybox container is created,
# started, inspected, exec'd into, paused, updated, killed and deleted.
set -u
list=$1
work=$(mktemp -d /tmp/jrun-train.XXXXXX)
trap 'rm -rf "$work"' EXIT
record() {
    JRUN_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/part" "$JRUN" --root "$work/state" "$@" \
        >/dev/null 2>&1 </dev/null
    cat "$work/part" >> "$work/all" 2>/dev/null
    rm -f "$work/part"
}
: > "$work/all"
record --version
record features
mkdir -p "$work/spec"
record spec --bundle "$work/spec"
record validate --bundle "$work/spec"
record list
record state none
record delete --force none
bundles=test-bundles/target/jrun-test-bundles-0.1.0.jar
if [ "$(id -u)" = 0 ] && [ -f "$bundles" ] && [ -x build/native/jrun-probe ] && [ -x /bin/busybox ]; then
    java -cp "$bundles:test-bundles/target/lib/*" dev.jrun.testbundles.TrainingBundle "$work/bundle" \
        build/native/jrun-probe >/dev/null 2>&1
    if [ -f "$work/bundle/config.json" ]; then
        b="--bundle $work/bundle"
        record create $b c1
        record state c1
        record start c1
        record list --format json
        record ps --format json c1
        record exec c1 /bin/true
        record exec --detach c1 /bin/sleep 1
        record pause c1
        record resume c1
        record update --pids-limit 100 c1
        record events --stats c1
        record kill c1 WINCH
        record kill c1 KILL
        record delete --force c1
        record run --detach $b c2
        record delete --force c2
    fi
fi
sort -u "$work/all" > "$list"
