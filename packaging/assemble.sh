#!/bin/sh
# assemble.sh STAGING PREFIX: lays out bin/jrun and lib/jrun/ under PREFIX from the Maven
# build, then records a class data sharing archive for the JDK found there.
# (STAGING is unused except as a name for errors; kept so `make install` reads the same.)
set -eu
prefix=$2
lib="$prefix/lib/jrun"
mkdir -p "$prefix/bin" "$lib"
rm -f "$lib"/*.jar "$lib"/*.jsa
cp cli/target/jrun-cli-*.jar "$lib/"
for jar in cli/target/lib/*.jar; do
    case "$(basename "$jar")" in
        jffi-*-native.jar) ;;           # unpacked below instead
        *) cp "$jar" "$lib/" ;;
    esac
done
cp build/native/jrun-init "$lib/jrun-init"
# jffi would otherwise unpack its library into /tmp on every call (slow, and unsafe as root)
native_jar=$(ls cli/target/lib/jffi-*-native.jar)
arch=$(uname -m); case "$arch" in x86_64) jarch=x86_64 ;; aarch64) jarch=aarch64 ;; *) jarch=$arch ;; esac
unzip -p "$native_jar" "jni/$jarch-Linux/libjffi-1.2.so" > "$lib/libjffi-1.2.so"

classpath=""
for jar in "$lib"/*.jar; do classpath="$classpath${classpath:+:}$jar"; done
sed "s|@CLASSPATH@|$classpath|" packaging/jrun.in > "$prefix/bin/jrun"
chmod 755 "$prefix/bin/jrun"

# Class data sharing: list the classes the commonest subcommands load, then dump them.
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
list=$(mktemp)
work=$(mktemp -d)
for args in "--version" "features" "spec --bundle $work" "validate --bundle $work" "--root $work/state list" \
            "--root $work/state state none"; do
    "$java" -Xshare:off -XX:DumpLoadedClassList="$list.part" -Djrun.libdir="$lib" \
        -Djnr.ffi.asm.enabled=false -Djffi.boot.library.path="$lib" -cp "$classpath" dev.jrun.cli.Main $args \
        >/dev/null 2>&1 || true
    cat "$list.part" >> "$list"
done
sort -u "$list" > "$list.sorted"
"$java" -Xshare:dump -XX:SharedClassListFile="$list.sorted" -XX:SharedArchiveFile="$lib/jrun-$version.jsa" \
    -cp "$classpath" >/dev/null 2>&1 || echo "assemble: class data archive not built (start-up will be slower)" >&2
rm -rf "$list" "$list.part" "$list.sorted" "$work"
