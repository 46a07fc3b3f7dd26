#!/bin/sh
# assemble.sh STAGING PREFIX: lays out bin/jrun (the front end, build/native/jrun) and lib/jrun/
# (jrun-direct, the in-process launcher, and what it runs) under PREFIX from the Maven build,
# then records a class data sharing archive for the JDK found there.
# (STAGING is unused except as a name for errors; kept so `make install` reads the same.)
set -eu
prefix=$2
lib="$prefix/lib/jrun"
mkdir -p "$prefix/bin" "$lib"
rm -f "$lib"/*.jar "$lib"/*.jsa "$lib"/*.aot
cp cli/target/jrun-cli-*.jar "$lib/"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
for jar in cli/target/lib/*.jar; do
    case "$(basename "$jar")" in
        jffi-*-native.jar) ;;           # unpacked below instead
        picocli-*.jar)                  # Java 5 class files, re-verified on every start: modernize
            "$java" -cp packaging/target/jrun-packaging.jar:packaging/target/lib/asm.jar \
                dev.jrun.packaging.UpgradeBytecode "$jar" "$lib/$(basename "$jar")" ;;
        *) cp "$jar" "$lib/" ;;
    esac
done
cp build/native/jrun-init "$lib/jrun-init"
# --version reads this plain copy: cheaper than a class path resource
unzip -p cli/target/jrun-cli-*.jar dev/jrun/cli/version.properties > "$lib/version.properties"
# jffi would otherwise unpack its library into /tmp on every call (slow, and unsafe as root)
native_jar=$(ls cli/target/lib/jffi-*-native.jar)
arch=$(uname -m); case "$arch" in x86_64) jarch=x86_64 ;; aarch64) jarch=aarch64 ;; *) jarch=$arch ;; esac
unzip -p "$native_jar" "jni/$jarch-Linux/libjffi-1.2.so" > "$lib/libjffi-1.2.so"

classpath=""
for jar in "$lib"/*.jar; do classpath="$classpath${classpath:+:}$jar"; done
sed "s|@CLASSPATH@|$classpath|" packaging/jrun.in > "$lib/jrun-direct"
chmod 755 "$lib/jrun-direct"
# What a front end and a server must agree on: a server of another build is never used.
cat "$lib"/*.jar "$lib/jrun-init" "$lib/jrun-direct" | sha256sum | cut -c1-16 > "$lib/build-id"
# replaced, not written through: a running front end keeps its own copy
cp build/native/jrun "$prefix/bin/jrun.new"
mv -f "$prefix/bin/jrun.new" "$prefix/bin/jrun"

# Class data for the JDK the launcher will find, recorded from every subcommand.
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
rm -f "$lib"/jrun-*.jsa "$lib"/jrun-*.aot
JRUN="$lib/jrun-direct" CLASSPATH="$classpath" sh packaging/train.sh "$lib" "$version"
