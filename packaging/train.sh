#!/bin/sh
# train.sh LIB VERSION: records, in one JVM running every subcommand (dev.jrun.cli.Training),
# the class data for this JDK: an AOT cache (LIB/jrun-VERSION.aot) on JDK 24 and newer, a
# CDS archive (LIB/jrun-VERSION.jsa) before.  As root, a real busybox container goes through
# its whole life during the recording.  $JRUN is the launcher, $CLASSPATH its class path.
# Training is not installed: its jar (the packaging module's) joins the class path only here,
# after jrun's own jars, so an installed jrun's class path is a prefix of the recorded one,
# which both archives accept.
set -u
lib=$1
version=$2
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
training=$PWD/packaging/target/jrun-packaging.jar
if [ ! -f "$training" ]; then
    echo "train: $training is missing (mvn package): no class data (start-up will be slower)" >&2
    exit 0
fi
work=$(mktemp -d /tmp/jrun-train.XXXXXX)
trap 'rm -rf "$work"' EXIT
bundle=""
jar=test-bundles/target/jrun-test-bundles-0.1.0.jar
if [ "$(id -u)" = 0 ] && [ -f "$jar" ] && [ -x build/native/jrun-probe ] && [ -x /bin/busybox ]; then
    "$java" -cp "$jar:test-bundles/target/lib/*" dev.jrun.testbundles.TrainingBundle "$work/bundle" \
        build/native/jrun-probe >/dev/null 2>&1 && bundle="$work/bundle"
fi
train() { # JVM flags for the recording
    JRUN_MAIN_CLASS=dev.jrun.cli.Training JRUN_CLASSPATH=$training JRUN_JAVA_OPTS="$*" "$JRUN" "$work" $bundle \
        >/dev/null 2>&1 </dev/null
}
if [ "$version" -ge 24 ] 2>/dev/null; then
    train "-XX:AOTMode=record -XX:AOTConfiguration=$work/aot.conf"
    "$java" -XX:+UseG1GC -Xmx128m -XX:AOTMode=create -XX:AOTConfiguration="$work/aot.conf" \
        -XX:AOTCache="$lib/jrun-$version.aot" -cp "$CLASSPATH:$training" >/dev/null 2>&1 \
        || echo "train: AOT cache not built (start-up will be slower)" >&2
else
    train "-Xshare:off -XX:DumpLoadedClassList=$work/classes.lst"
    # the heap flags must match the launcher's, or the archived heap is relocated (or ignored)
    "$java" -XX:+UseG1GC -Xmx128m -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" \
        -XX:SharedArchiveFile="$lib/jrun-$version.jsa" \
        -cp "$CLASSPATH" >/dev/null 2>&1 || echo "train: class data archive not built (start-up will be slower)" >&2
fi
