# jrun: `make` builds everything, `make test` runs every test (integration tests need root),
# `make install PREFIX=/usr/local`, `make bench`, `make clean`.
PREFIX ?= /usr/local
MVN ?= mvn
MVNFLAGS ?= -q -B
CC ?= gcc
CFLAGS_EXEC ?= -static -O2 -Wall -Wextra -Werror
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

BUILD := build
NATIVE := $(BUILD)/native
DIST := $(BUILD)/dist
DISTLIB := $(DIST)/lib/jrun

INIT_SRC := runtime/src/main/c/jrun-init.c runtime/src/main/c/protocol.h
PROBE_SRC := test-bundles/src/main/c/jrun-probe.c
JAVA_SRC := $(shell find spec runtime cli test-bundles packaging -path '*/src/main/*' -type f 2>/dev/null) \
	pom.xml spec/pom.xml runtime/pom.xml cli/pom.xml test-bundles/pom.xml packaging/pom.xml

.PHONY: all native jars dist demo test unit-test install bench clean

all: dist

native: $(NATIVE)/jrun-init $(NATIVE)/jrun-probe

$(NATIVE)/jrun-init: $(INIT_SRC)
	@mkdir -p $(NATIVE)
	$(CC) $(CFLAGS_EXEC) -o $@ runtime/src/main/c/jrun-init.c

$(NATIVE)/jrun-probe: $(PROBE_SRC)
	@mkdir -p $(NATIVE)
	$(CC) $(CFLAGS_EXEC) -o $@ $(PROBE_SRC)

$(BUILD)/jars.stamp: $(NATIVE)/jrun-init $(NATIVE)/jrun-probe $(JAVA_SRC)
	$(MVN) $(MVNFLAGS) -DskipTests -Djrun.commit=$(COMMIT) package
	@touch $@

jars: $(BUILD)/jars.stamp

# The runnable layout: bin/jrun plus lib/jrun/{*.jar, jrun-init, libjffi, class data archive}.
dist: $(BUILD)/dist.stamp native

$(BUILD)/dist.stamp: $(BUILD)/jars.stamp packaging/jrun.in packaging/assemble.sh packaging/train.sh
	packaging/assemble.sh $(DIST) $(abspath $(DIST))
	ln -sfn $(DIST)/bin/jrun jrun
	@touch $@

# The README's main job: a busybox container, run by jrun.
demo: dist
	java -cp "test-bundles/target/jrun-test-bundles-0.1.0.jar:test-bundles/target/lib/*" \
		dev.jrun.testbundles.DemoBundle $(BUILD)/demo $(NATIVE)/jrun-probe >/dev/null
	./jrun run --bundle $(BUILD)/demo jrun-demo-$$$$

unit-test:
	$(MVN) $(MVNFLAGS) -Djrun.commit=$(COMMIT) test

# Unit tests run anywhere; integration tests run real containers and need root.
test: dist
	$(MVN) $(MVNFLAGS) -Djrun.commit=$(COMMIT) -Djrun.integration=true -Djrun.dist=$(abspath $(DIST)) \
		-Djrun.native=$(abspath $(NATIVE)) test

install: $(BUILD)/jars.stamp
	packaging/assemble.sh $(DIST) $(DESTDIR)$(PREFIX)

bench: dist
	bench/run.sh

clean:
	-$(MVN) $(MVNFLAGS) clean
	rm -rf $(BUILD) jrun
