package dev.jrun.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.process.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container operations' decisions, and their clean-up after every failure, against a fake
 * machine: no root, no kernel.  jrun-init's side of each conversation is a script.
 */
class ContainersTest {
    static final int INIT = 4242;
    static final long INIT_START = 777L;

    @TempDir
    Path tmp;
    FakeHost host;
    Containers containers;
    final List<String> warnings = new ArrayList<>();
    Path bundle;

    @BeforeEach
    void setUp() throws IOException {
        host = new FakeHost();
        containers = new Containers(tmp.resolve("root"), host, warnings::add, null);
        bundle = bundle("");
    }

    /** The default test config, with extra text spliced in after "linux": {. */
    Path bundle(String linuxExtra) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bundle-" + Math.abs(linuxExtra.hashCode())));
        Files.createDirectories(dir.resolve("rootfs"));
        String config = Files.readString(Path.of("src/test/resources/plans/default.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"linux\": {", "\"linux\": {" + linuxExtra));
        return dir;
    }

    CreateOptions options(Path pidFile) {
        return new CreateOptions(bundle, pidFile, null, false, false, 0, null);
    }

    /** jrun-init's side of a create that works: cgroup, fork, created. */
    void initCreates() {
        host.sys.sync(Wire.SYNC_CGROUP).childPid(INIT).created();
        host.processes.put(INIT, INIT_START);
    }

    FakeHost.FakeCgroup cgroup(String id) {
        return host.cgroups.get("/fake/cgroup/" + id);
    }

    void assertNothingLeft(String id) {
        assertFalse(Files.exists(tmp.resolve("root").resolve(id)), "no state directory");
        assertEquals(Set.of(), host.sys.open, "every fd was closed");
    }

    // ------------------------------------------------------------------ create

    @Test
    void createRecordsTheInitAndHandsItsCgroupTheExecutor() throws Exception {
        initCreates();
        Path pidFile = tmp.resolve("c1.pid");
        ContainerState s = containers.create("c1", options(pidFile));
        assertEquals(INIT, s.pid());
        assertEquals(INIT_START, s.pidStartTime());
        assertEquals(List.of("create", "apply", "add " + FakeHost.EXECUTOR_PID), cgroup("c1").events,
                "the executor waits in the cgroup before it forks the init");
        assertEquals(String.valueOf(INIT), Files.readString(pidFile));
        assertEquals(Status.CREATED, containers.state("c1").status());
        Path dir = tmp.resolve("root/c1");
        assertTrue(Files.exists(dir.resolve("config.json")), "the config snapshot");
        assertFalse(Files.exists(dir.resolve(StateStore.CREATING)), "the creating record is gone once state exists");
        assertEquals(List.of(Wire.MSG_PLAN, Wire.MSG_ACK), host.sys.sentTypes, "the plan, then one answer");
        assertEquals(Set.of(), host.sys.open);
    }

    @Test
    void aStepTheExecutorReportsFailedUndoesEverything() {
        host.sys.sync(Wire.SYNC_CGROUP).childPid(INIT).error(12, Errno.ENOENT, "create mount point");
        host.processes.put(INIT, INIT_START);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertTrue(e.getMessage().endsWith(": create mount point: no such file or directory"), e.getMessage());
        assertTrue(e.getMessage().startsWith("mount "), "named by the step's description: " + e.getMessage());
        assertEquals(List.of("create", "apply", "add " + FakeHost.EXECUTOR_PID, "destroy"), cgroup("c1").events);
        assertTrue(host.sys.calls.contains("kill " + INIT + " 9"), "the init is killed: " + host.sys.calls);
        assertNothingLeft("c1");
    }

    @Test
    void aCgroupThatCannotBeMadeStopsTheExecutor() {
        host.cgroupFailure = "cgroup controller hugetlb is not mounted on this host";
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("cgroup controller hugetlb is not mounted on this host", e.getMessage());
        assertTrue(host.sys.calls.contains("kill " + FakeHost.EXECUTOR_PID + " 9"), host.sys.calls.toString());
        assertNothingLeft("c1");
    }

    @Test
    void anExecutorThatDiesSilentlySaysHowItDied() {
        host.sys.sync(Wire.SYNC_CGROUP);
        host.sys.exitStatus.put(FakeHost.EXECUTOR_PID, 9);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("jrun-init was killed by signal 9 while setting up namespaces (is the container's memory limit "
                + "too small? it applies to jrun-init too)", e.getMessage());
        assertEquals("destroy", cgroup("c1").events.get(cgroup("c1").events.size() - 1));
        assertNothingLeft("c1");
    }

    @Test
    void aPidFileThatCannotBeWrittenUndoesTheCreate() {
        initCreates();
        IOException e = assertThrows(IOException.class,
                () -> containers.create("c1", options(tmp.resolve("missing/dir/c1.pid"))));
        assertTrue(e.getMessage().startsWith("write the pid file " + tmp.resolve("missing/dir/c1.pid")), e.getMessage());
        assertFalse(host.processes.containsKey(INIT), "the init is gone");
        assertTrue(cgroup("c1").events.contains("destroy"));
        assertNothingLeft("c1");
    }

    @Test
    void aFailingPrestartHookIsReportedInRuncsWords() throws Exception {
        bundle = bundleWithHook("prestart", "/hooks/fail");
        host.sys.hookStatus.put("/hooks/fail", 3);
        host.sys.sync(Wire.SYNC_CGROUP).childPid(INIT).sync(Wire.SYNC_HOOKS);
        host.processes.put(INIT, INIT_START);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("error running prestart hook #0: exit status 3, stdout: , stderr: ", e.getMessage());
        assertNothingLeft("c1");
    }

    @Test
    void aHookThatCannotStartSaysSo() throws Exception {
        bundle = bundleWithHook("createRuntime", "/nonexistent/hook");
        host.sys.sync(Wire.SYNC_CGROUP).childPid(INIT).sync(Wire.SYNC_HOOKS);
        host.processes.put(INIT, INIT_START);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("error running createRuntime hook #0: fork/exec /nonexistent/hook: no such file or directory",
                e.getMessage());
        assertNothingLeft("c1");
    }

    @Test
    void aHookTheExecutorRanIsReportedTheSameWay() throws Exception {
        bundle = bundleWithHook("createContainer", "/hooks/slow");
        int hookStep = stepOf("createContainer hook #0");
        host.sys.sync(Wire.SYNC_CGROUP).childPid(INIT).sync(Wire.SYNC_HOOKS).hookFailed(hookStep, 3, 2, "", "");
        host.processes.put(INIT, INIT_START);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("error running createContainer hook #0: hook ran past specified timeout of 2.0s", e.getMessage());
        assertNothingLeft("c1");
    }

    Path bundleWithHook(String kind, String path) throws IOException {
        Path dir = bundle("");
        String config = Files.readString(dir.resolve("config.json"));
        String hook = "\"hooks\": {\"" + kind + "\": [{\"path\": \"" + path + "\"}]},";
        Files.writeString(dir.resolve("config.json"), config.replaceFirst("\\{", "{" + hook));
        return dir;
    }

    /** The index of the plan step that runs a hook, as jrun-init would report it. */
    int stepOf(String hookName) throws Exception {
        dev.jrun.spec.model.Spec spec = Bundle.load(bundle).spec();
        var ctx = new dev.jrun.runtime.plan.PlanContext(
                new dev.jrun.runtime.plan.PlanContext.Container("c1", bundle, bundle.resolve("rootfs"), ""),
                new dev.jrun.runtime.plan.PlanContext.Invocation(false, false, -1, 5),
                new dev.jrun.runtime.plan.PlanContext.Host(false,
                        new dev.jrun.runtime.plan.CgroupView("/fake", true, List.of()), null, false, null), null);
        var plan = dev.jrun.runtime.plan.PlanCompiler.compile(spec, ctx);
        for (int i = 0; i < plan.entries().size(); i++) {
            if (plan.entries().get(i).step() instanceof dev.jrun.runtime.plan.Step.RunHook h
                    && h.name().equals(hookName)) {
                return i;
            }
        }
        throw new AssertionError("no step runs " + hookName);
    }

    @Test
    void aTerminalNeedsAConsoleSocket() throws Exception {
        Path dir = bundle("");
        Files.writeString(dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json")).replace("\"terminal\": false", "\"terminal\": true"));
        bundle = dir;
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("cannot allocate tty if jrun will detach without setting console socket", e.getMessage());
        assertEquals(0, host.executorsStarted, "refused before anything started");
        assertNothingLeft("c1");
    }

    @Test
    void aConsoleSocketNeedsATerminal() {
        CreateOptions withSocket = new CreateOptions(bundle, null, tmp.resolve("sock"), false, false, 0, null);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", withSocket));
        assertEquals("cannot use console socket if jrun will not detach or allocate tty", e.getMessage());
    }

    @Test
    void aTakenIdIsRefusedAndTheOtherContainerIsUntouched() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("container with id exists: c1", e.getMessage());
        assertEquals(Status.CREATED, containers.state("c1").status());
        assertEquals(1, host.executorsStarted);
    }

    // ------------------------------------------------------------------ start, kill, delete

    @Test
    void startReleasesTheInitOnce() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        containers.start("c1");
        assertEquals(Status.RUNNING, containers.state("c1").status());
        JrunException e = assertThrows(JrunException.class, () -> containers.start("c1"));
        assertEquals("cannot start an already running container", e.getMessage());
        host.processes.remove(INIT);
        e = assertThrows(JrunException.class, () -> containers.start("c1"));
        assertEquals("cannot start a container that has stopped", e.getMessage());
    }

    @Test
    void aReusedPidIsNotTheContainer() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        host.processes.put(INIT, INIT_START + 1);
        assertEquals(Status.STOPPED, containers.state("c1").status());
        JrunException e = assertThrows(JrunException.class, () -> containers.kill("c1", 15, false));
        assertEquals("container not running", e.getMessage());
        assertFalse(host.signals.contains(INIT + " 15"), "the stranger was not signalled");
    }

    @Test
    void killAllSignalsEveryProcessOfTheCgroup() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        containers.start("c1");
        host.processes.put(4300, 1L);
        cgroup("c1").members.addAll(List.of(INIT, 4300));
        containers.kill("c1", 10, true);
        assertTrue(host.signals.containsAll(List.of(INIT + " 10", "4300 10")), host.signals.toString());
    }

    @Test
    void deleteRefusesARunningContainerUnlessForced() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        containers.start("c1");
        cgroup("c1").members.add(INIT);
        JrunException e = assertThrows(JrunException.class, () -> containers.delete("c1", false));
        assertEquals("cannot delete container c1 that is not stopped: running", e.getMessage());
        containers.delete("c1", true);
        assertFalse(host.processes.containsKey(INIT));
        assertTrue(cgroup("c1").events.contains("destroy"));
        assertThrows(JrunException.NotFound.class, () -> containers.state("c1"));
    }

    @Test
    void deleteOfAHalfMadeContainerRemovesWhatItsRecordNames() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.reserve("c1").close();
        host.processes.put(INIT, INIT_START);
        FakeHost.FakeCgroup cg = (FakeHost.FakeCgroup) host.newCgroup(null, "c1");
        cg.members.add(INIT);
        store.writeCreating("c1", new StateStore.Creating(cg.paths(), cg.paths(), java.util.Map.of(), INIT, INIT_START, null, null));
        assertThrows(JrunException.NotFound.class, () -> containers.delete("c1", true),
                "a half-made container does not exist, even as it is removed");
        assertFalse(host.processes.containsKey(INIT), "its init is killed");
        assertTrue(cg.events.contains("destroy"));
        assertFalse(Files.exists(tmp.resolve("root/c1")));
    }

    @Test
    void aCgroupThatExistedBeforeIsLeftToItsOwner() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.reserve("c1").close();
        FakeHost.FakeCgroup shared = (FakeHost.FakeCgroup) host.newCgroup("pod", "c1");
        host.processes.put(6000, 1L);
        shared.members.add(6000);
        store.writeCreating("c1", new StateStore.Creating(shared.paths(), java.util.Map.of(), java.util.Map.of(), 0, 0, null, null));
        assertThrows(JrunException.NotFound.class, () -> containers.delete("c1", true));
        assertTrue(host.processes.containsKey(6000), "another's process lives on");
        assertFalse(shared.events.contains("destroy"));
    }

    @Test
    void aCgroupWithProcessesIsRefusedAndLeftAsItWas() {
        FakeHost.FakeCgroup taken = (FakeHost.FakeCgroup) host.newCgroup(null, "c1");
        taken.exists = true;
        host.processes.put(6000, 1L);
        taken.members.add(6000);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertEquals("container's cgroup is not empty: 1 process(es) found", e.getMessage());
        assertEquals(0, host.executorsStarted, "refused before anything was started");
        assertEquals(List.of(), taken.events, "neither written nor removed");
        assertTrue(taken.exists);
        assertTrue(host.processes.containsKey(6000), "another's process lives on");
        assertEquals(List.of(), host.signals);
        assertNothingLeft("c1");
    }

    @Test
    void aFrozenCgroupIsRefusedAtOnceAndLeftAsItWas() {
        FakeHost.FakeCgroup frozen = (FakeHost.FakeCgroup) host.newCgroup(null, "c1");
        frozen.exists = true;
        frozen.frozen = true;
        JrunException e = assertThrows(JrunException.class, () -> containers.run("c1", options(null), true, false));
        assertEquals("container's cgroup unexpectedly frozen", e.getMessage());
        assertEquals(0, host.executorsStarted, "no init was started to wait on");
        assertEquals(List.of(), frozen.events, "neither thawed nor removed");
        assertTrue(frozen.exists);
        assertNothingLeft("c1");
    }

    @Test
    void anEmptyThawedCgroupThatExistsIsTaken() throws Exception {
        FakeHost.FakeCgroup existing = (FakeHost.FakeCgroup) host.newCgroup(null, "c1");
        existing.exists = true;
        initCreates();
        containers.create("c1", options(null));
        assertEquals(List.of("create", "apply", "add " + FakeHost.EXECUTOR_PID), existing.events);
    }

    // ------------------------------------------------------------------ exec

    static ExecProcess flags(String command, boolean tty) {
        return new ExecProcess(List.of(command), tty, List.of(), null, null, List.of(), List.of(), false, null, null);
    }

    @Test
    void execRefusesStoppedAndPausedContainers() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        ExecOptions exec = new ExecOptions(true, null, null, 0, List.of(), false, null);
        cgroup("c1").frozen = true;
        JrunException e = assertThrows(JrunException.class,
                () -> containers.exec("c1", null, "exec", flags("true", false), exec));
        assertEquals("cannot exec in a paused container (use --ignore-paused to override)", e.getMessage());
        cgroup("c1").frozen = false;
        host.processes.remove(INIT);
        e = assertThrows(JrunException.class,
                () -> containers.exec("c1", null, "exec", flags("true", false), exec));
        assertEquals("cannot exec in a stopped container", e.getMessage());
        assertEquals(1, host.executorsStarted, "only create's executor ever started");
    }

    @Test
    void aDetachedExecWithATerminalNeedsAConsoleSocket() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        containers.start("c1");
        ExecOptions exec = new ExecOptions(true, null, null, 0, List.of(), false, null);
        ExecProcess flags = flags("sh", true);
        JrunException e = assertThrows(JrunException.class, () -> containers.exec("c1", null, "exec", flags, exec));
        assertEquals("cannot allocate tty if jrun will detach without setting console socket", e.getMessage());
        assertEquals(Set.of(), host.sys.open);
    }

    @Test
    void aDetachedExecJoinsTheContainersCgroupAndWritesItsPid() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        containers.start("c1");
        host.sys.sync(Wire.SYNC_CGROUP).childPid(4300).created();
        host.processes.put(4300, 5L);
        Path pidFile = tmp.resolve("exec.pid");
        int status = containers.exec("c1", null, "exec", flags("true", false),
                new ExecOptions(true, pidFile, null, 0, List.of(), false, null));
        assertEquals(0, status);
        assertEquals("4300", Files.readString(pidFile));
        assertEquals(2, cgroup("c1").events.stream().filter(("add " + FakeHost.EXECUTOR_PID)::equals).count(),
                "exec's executor joined the container's cgroup before forking");
        assertEquals(Set.of(), host.sys.open, "the pidfd and the socket were closed");
    }

    @Test
    void aFailedExecKillsWhatItStarted() throws Exception {
        initCreates();
        containers.create("c1", options(null));
        containers.start("c1");
        host.sys.sync(Wire.SYNC_CGROUP).childPid(4300).errorAt(dev.jrun.runtime.plan.Op.LOOKUP_EXEC, Errno.ENOENT,
                "exec: \"nope\": executable file not found in $PATH");
        host.processes.put(4300, 5L);
        JrunException e = assertThrows(JrunException.class, () -> containers.exec("c1", null, "exec",
                flags("nope", false), new ExecOptions(true, null, null, 0, List.of(), false, null)));
        assertEquals("exec: \"nope\": executable file not found in $PATH", e.getMessage());
        assertFalse(host.processes.containsKey(4300));
        assertEquals(Set.of(), host.sys.open);
    }

    /** The test config without a mount namespace (and so without the paths only one can hide). */
    void withoutMountNamespace() throws IOException {
        String config = Files.readString(bundle.resolve("config.json")).replace("{\"type\": \"mount\"},", "")
                .replace("\"readonly\": true", "\"readonly\": false")
                .replaceAll("\"maskedPaths\": \\[[^]]*\\],", "").replaceAll(",\\s*\"readonlyPaths\": \\[[^]]*\\]", "");
        Files.writeString(bundle.resolve("config.json"), config);
    }

    @Test
    void withoutAMountNamespaceTheContainersMountsAreRemovedAtDelete() throws Exception {
        withoutMountNamespace();
        Path rootfs = bundle.resolve("rootfs").toRealPath();
        host.mounts.put("30", rootfs.toString());              // the manager's rootfs mount
        host.mounts.put("31", "/elsewhere");
        host.executorEffects = () -> {
            host.mounts.put("40", rootfs + "/proc");
            host.mounts.put("41", rootfs + "/dev");
        };
        initCreates();
        ContainerState s = containers.create("c1", options(null));
        assertEquals(java.util.Map.of("40", rootfs + "/proc", "41", rootfs + "/dev"), s.hostMounts());
        host.processes.remove(INIT);
        containers.delete("c1", false);
        assertEquals(java.util.Map.of("30", rootfs.toString(), "31", "/elsewhere"), host.mounts,
                "the container's mounts are gone, the rest untouched");
    }

    @Test
    void aFailedCreateWithoutAMountNamespaceRemovesWhatItMounted() throws Exception {
        withoutMountNamespace();
        Path rootfs = bundle.resolve("rootfs").toRealPath();
        host.executorEffects = () -> host.mounts.put("40", rootfs + "/proc");
        host.sys.sync(Wire.SYNC_CGROUP).childPid(INIT).error(20, Errno.EINVAL, "");
        host.processes.put(INIT, INIT_START);
        JrunException e = assertThrows(JrunException.class, () -> containers.create("c1", options(null)));
        assertTrue(e.getMessage().endsWith("invalid argument"), "the executor's failure: " + e.getMessage());
        assertEquals(java.util.Map.of(), host.mounts);
        assertNothingLeft("c1");
    }
}
