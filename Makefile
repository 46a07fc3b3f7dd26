# jrun: `make` builds everything, `make test` runs every test (integration tests need root),
# `make unit-test` only those that need neither root nor the kernel, `make conformance` runs the
# OCI runtime-tools suite (root), `make install PREFIX=/usr/local` (and `make uninstall` with the
# same PREFIX and DESTDIR), `make bench`, `make clean`.
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

.PHONY: all native jars dist demo test unit-test integration-test conformance install uninstall bench clean

all: dist

native: $(NATIVE)/jrun-init $(NATIVE)/jrun-probe $(NATIVE)/jrun

# the front end installed as bin/jrun: it hands calls to a warm jrun server
$(NATIVE)/jrun: cli/src/main/c/jrun.c
	@mkdir -p $(NATIVE)
	$(CC) $(CFLAGS_EXEC) -o $@ cli/src/main/c/jrun.c

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

# The runnable layout: bin/jrun (the front end) plus lib/jrun/{jrun-direct (the in-process
# launcher), *.jar, jrun-init, libjffi, class data archive, build-id}.
dist: $(BUILD)/dist.stamp native

$(BUILD)/dist.stamp: $(BUILD)/jars.stamp $(NATIVE)/jrun packaging/jrun.in packaging/assemble.sh packaging/train.sh
	packaging/assemble.sh $(DIST) $(abspath $(DIST))
	ln -sfn $(DIST)/bin/jrun jrun
	@touch $@

# The README's main job: a busybox container, run by jrun.
demo: dist
	java -cp "test-bundles/target/jrun-test-bundles-0.1.0.jar:test-bundles/target/lib/*" \
		dev.jrun.testbundles.DemoBundle $(BUILD)/demo $(NATIVE)/jrun-probe >/dev/null
	./jrun run --bundle $(BUILD)/demo jrun-demo-$$$$

# The tests run in two stages, each writing its reports to REPORTS/STAGE; TestSummary (run from
# its source: it must work when the build did not) adds them up into the line a run ends with,
# "N passed, N failed, N skipped", and fails if anything did.
REPORTS := $(BUILD)/test-reports
MVNTEST = $(MVN) $(MVNFLAGS) -Djrun.commit=$(COMMIT) -Djrun.reports=$(abspath $(REPORTS))/$(1) test
# unit: no root, no kernel features, no dist
UNIT_STAGE = $(call MVNTEST,unit) -DexcludedGroups=integration
# integration: root; real containers, containerd, podman, docker, the cgroup v2 guest; run
# twice: with the jrun server (bin/jrun hands calls to it) and with it turned off (every call
# in its own JVM); the server's own tests (tag "server") only in the first
INTEGRATION_STAGE = $(call MVNTEST,$(1)) -Dgroups=integration -Djrun.integration=true -Djrun.server=$(2) \
	$(if $(filter off,$(2)),-DexcludedGroups=server) \
	-Djrun.dist=$(abspath $(DIST)) -Djrun.native=$(abspath $(NATIVE))
SERVED_STAGE = $(call INTEGRATION_STAGE,integration,on)
DIRECT_STAGE = $(call INTEGRATION_STAGE,integration-no-server,off)
SUMMARY = java packaging/src/main/java/dev/jrun/packaging/TestSummary.java $(REPORTS)

unit-test:
	@rm -rf $(REPORTS); echo "== unit tests"; start=$$(date +%s); \
	$(UNIT_STAGE); unit=$$?; \
	$(SUMMARY) unit=$$unit:$$(($$(date +%s) - start))

integration-test: dist
	@rm -rf $(REPORTS); echo "== integration tests"; start=$$(date +%s); \
	$(SERVED_STAGE); served=$$?; middle=$$(date +%s); \
	echo "== integration tests, jrun server off"; $(DIRECT_STAGE); direct=$$?; \
	$(SUMMARY) integration=$$served:$$((middle - start)) integration-no-server=$$direct:$$(($$(date +%s) - middle))

# The unit stage first: when it fails, the long root stage does not run.
test: dist
	@rm -rf $(REPORTS); echo "== unit tests"; start=$$(date +%s); \
	$(UNIT_STAGE); unit=$$?; t1=$$(date +%s); t2=$$t1; served=-; direct=-; \
	if [ $$unit = 0 ]; then echo "== integration tests"; $(SERVED_STAGE); served=$$?; t2=$$(date +%s); \
	echo "== integration tests, jrun server off"; $(DIRECT_STAGE); direct=$$?; fi; \
	$(SUMMARY) unit=$$unit:$$((t1 - start)) integration=$$served:$$((t2 - t1)) \
	integration-no-server=$$direct:$$(($$(date +%s) - t2))

# The OCI runtime-tools validation suite against the built jrun; fails on any difference from
# conformance/expected.tsv.  Results in build/conformance/ (one TAP file per program, summary.tsv).
conformance: dist
	python3 conformance/run.py --runtime $(abspath $(DIST))/bin/jrun --out $(abspath $(BUILD))/conformance

# bin/jrun, lib/jrun/, share/man/man8/jrun*.8 and share/bash-completion/completions/jrun
install: $(BUILD)/jars.stamp $(NATIVE)/jrun
	packaging/assemble.sh $(DIST) $(DESTDIR)$(PREFIX)

# What install put there, as its lib/jrun/installed-files lists it, and nothing else
uninstall:
	packaging/uninstall.sh $(DESTDIR)$(PREFIX)

bench: dist
	bench/run.sh

clean:
	-$(MVN) $(MVNFLAGS) clean
	rm -rf $(BUILD) jrun
