package dev.jrun.testbundles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.jrun.spec.model.Box;
import dev.jrun.spec.model.CPUAffinity;
import dev.jrun.spec.model.Hook;
import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxIOPriority;
import dev.jrun.spec.model.LinuxIntelRdt;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxMemoryPolicy;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.LinuxNetDevice;
import dev.jrun.spec.model.LinuxPersonality;
import dev.jrun.spec.model.LinuxPids;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxTimeOffset;
import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.POSIXRlimit;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Root;
import dev.jrun.spec.model.Scheduler;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.User;

/**
 * A mutable editor over the immutable {@link Spec} records, for tests that tweak a bundle's
 * config: each method replaces one part and returns {@code this}, so calls chain.
 *
 * <pre>{@code
 * Spec s = new ConfigEditor(BusyboxBundle.defaultSpec())
 *         .args("/bin/jrun-probe", "stat", "/dev/null")
 *         .user(1000, 1000, 2000)
 *         .hostname("box")
 *         .removeNamespace("network")
 *         .rlimit("RLIMIT_NOFILE", 64, 128)
 *         .spec();
 * }</pre>
 *
 * Anything without a dedicated method can be changed through {@link #edit}, {@link #process},
 * {@link #linux} or {@link #resources}, which take a function over the record.
 */
public final class ConfigEditor {

    private Spec spec;

    public ConfigEditor(Spec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The config as edited so far. */
    public Spec spec() {
        return spec;
    }

    // ------------------------------------------------------------------ generic

    /** Replaces the whole config with {@code f(config)}. */
    public ConfigEditor edit(UnaryOperator<Spec> f) {
        spec = Objects.requireNonNull(f.apply(spec));
        return this;
    }

    /** Replaces {@code process} with {@code f(process)} (an empty process if there was none). */
    public ConfigEditor process(UnaryOperator<Process> f) {
        Process p = spec.process() != null ? spec.process()
                : new Process(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null);
        return editSpec(s -> s.process = f.apply(p));
    }

    /** Replaces {@code linux} with {@code f(linux)} (an empty section if there was none). */
    public ConfigEditor linux(UnaryOperator<Linux> f) {
        Linux l = spec.linux() != null ? spec.linux()
                : new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null);
        return editSpec(s -> s.linux = f.apply(l));
    }

    /** Replaces {@code linux.resources} with {@code f(resources)} (empty resources if there were none). */
    public ConfigEditor resources(UnaryOperator<LinuxResources> f) {
        LinuxResources r = spec.linux() != null && spec.linux().resources() != null ? spec.linux().resources()
                : new LinuxResources(null, null, null, null, null, null, null, null, null);
        return editLinux(l -> l.resources = f.apply(r));
    }

    // ------------------------------------------------------------------ process

    public ConfigEditor args(String... args) {
        return args(Arrays.asList(args));
    }

    public ConfigEditor args(List<String> args) {
        return editProcess(p -> p.args = List.copyOf(args));
    }

    /** Replaces the environment. */
    public ConfigEditor env(String... env) {
        return env(Arrays.asList(env));
    }

    public ConfigEditor env(List<String> env) {
        return editProcess(p -> p.env = List.copyOf(env));
    }

    /** Sets {@code NAME=value}, replacing an existing entry for NAME. */
    public ConfigEditor setEnv(String name, String value) {
        return editProcess(p -> {
            List<String> env = new ArrayList<>(p.env != null ? p.env : List.of());
            env.removeIf(e -> e.equals(name) || e.startsWith(name + "="));
            env.add(name + "=" + value);
            p.env = env;
        });
    }

    public ConfigEditor cwd(String cwd) {
        return editProcess(p -> p.cwd = cwd);
    }

    public ConfigEditor terminal(boolean terminal) {
        return editProcess(p -> p.terminal = terminal);
    }

    public ConfigEditor consoleSize(long height, long width) {
        return editProcess(p -> p.consoleSize = new Box(height, width));
    }

    /** The user: uid, gid and supplementary groups (umask unchanged). */
    public ConfigEditor user(long uid, long gid, long... additionalGids) {
        List<Long> extra = additionalGids.length == 0 ? null : Arrays.stream(additionalGids).boxed().toList();
        return editProcess(p -> p.user = new User(uid, gid, p.user != null ? p.user.umask() : null, extra, null));
    }

    public ConfigEditor user(User user) {
        return editProcess(p -> p.user = user);
    }

    /** The umask ({@code null}: leave it alone). */
    public ConfigEditor umask(Long umask) {
        return editProcess(p -> {
            User u = p.user != null ? p.user : new User(0L, 0L, null, null, null);
            p.user = new User(u.uid(), u.gid(), umask, u.additionalGids(), u.username());
        });
    }

    public ConfigEditor capabilities(LinuxCapabilities caps) {
        return editProcess(p -> p.capabilities = caps);
    }

    /**
     * The same capability names in the bounding, effective and permitted sets (the shape of
     * runc's default spec); inheritable and ambient are left unset.
     */
    public ConfigEditor capabilities(String... caps) {
        List<String> list = List.of(caps);
        return capabilities(new LinuxCapabilities(list, list, null, list, null));
    }

    public ConfigEditor rlimits(List<POSIXRlimit> rlimits) {
        return editProcess(p -> p.rlimits = rlimits == null ? null : List.copyOf(rlimits));
    }

    /** Sets one rlimit, replacing an existing one of that type. */
    public ConfigEditor rlimit(String type, long soft, long hard) {
        return editProcess(p -> {
            List<POSIXRlimit> list = new ArrayList<>(p.rlimits != null ? p.rlimits : List.of());
            list.removeIf(r -> type.equals(r.type()));
            list.add(new POSIXRlimit(type, hard, soft));
            p.rlimits = list;
        });
    }

    public ConfigEditor noNewPrivileges(boolean nnp) {
        return editProcess(p -> p.noNewPrivileges = nnp);
    }

    public ConfigEditor oomScoreAdj(Long adj) {
        return editProcess(p -> p.oomScoreAdj = adj);
    }

    public ConfigEditor apparmorProfile(String profile) {
        return editProcess(p -> p.apparmorProfile = profile);
    }

    public ConfigEditor selinuxLabel(String label) {
        return editProcess(p -> p.selinuxLabel = label);
    }

    public ConfigEditor scheduler(Scheduler scheduler) {
        return editProcess(p -> p.scheduler = scheduler);
    }

    public ConfigEditor ioPriority(String ioClass, long priority) {
        return editProcess(p -> p.ioPriority = new LinuxIOPriority(ioClass, priority));
    }

    public ConfigEditor execCPUAffinity(String initial, String finalCpus) {
        return editProcess(p -> p.execCPUAffinity = new CPUAffinity(initial, finalCpus));
    }

    // ------------------------------------------------------------------ top level

    public ConfigEditor hostname(String hostname) {
        return editSpec(s -> s.hostname = hostname);
    }

    public ConfigEditor domainname(String domainname) {
        return editSpec(s -> s.domainname = domainname);
    }

    /** {@code root.readonly}. */
    public ConfigEditor readonlyRoot(boolean readonly) {
        return editSpec(s -> s.root = new Root(s.root != null ? s.root.path() : "rootfs", readonly));
    }

    /** {@code root.path} (relative to the bundle, or absolute). */
    public ConfigEditor rootPath(String path) {
        return editSpec(s -> s.root = new Root(path, s.root != null ? s.root.readonly() : null));
    }

    public ConfigEditor mounts(List<Mount> mounts) {
        return editSpec(s -> s.mounts = mounts == null ? null : List.copyOf(mounts));
    }

    /** Appends a mount. */
    public ConfigEditor addMount(Mount mount) {
        return editSpec(s -> {
            List<Mount> list = new ArrayList<>(s.mounts != null ? s.mounts : List.of());
            list.add(mount);
            s.mounts = list;
        });
    }

    /** Appends a mount of {@code type} from {@code source} on {@code destination}. */
    public ConfigEditor addMount(String destination, String type, String source, String... options) {
        return addMount(new Mount(destination, type, source, options.length == 0 ? null : List.of(options), null,
                null));
    }

    /** Appends a bind mount ({@code rbind} is added unless {@code bind} is among the options). */
    public ConfigEditor bindMount(String source, String destination, String... options) {
        List<String> opts = new ArrayList<>(List.of(options));
        if (!opts.contains("bind") && !opts.contains("rbind")) {
            opts.add(0, "rbind");
        }
        return addMount(new Mount(destination, "bind", source, opts, null, null));
    }

    /** Removes every mount on {@code destination}. */
    /** Replaces the options of the mount at destination, keeping its place in the list. */
    public ConfigEditor mountOptions(String destination, String... options) {
        return editSpec(s -> {
            List<Mount> list = new ArrayList<>(s.mounts);
            for (int i = 0; i < list.size(); i++) {
                Mount m = list.get(i);
                if (destination.equals(m.destination())) {
                    list.set(i, new Mount(m.destination(), m.type(), m.source(), List.of(options), m.uidMappings(),
                            m.gidMappings()));
                }
            }
            s.mounts = list;
        });
    }

    public ConfigEditor removeMount(String destination) {
        return editSpec(s -> {
            if (s.mounts != null) {
                List<Mount> list = new ArrayList<>(s.mounts);
                list.removeIf(m -> destination.equals(m.destination()));
                s.mounts = list;
            }
        });
    }

    public ConfigEditor hooks(Hooks hooks) {
        return editSpec(s -> s.hooks = hooks);
    }

    /**
     * Appends a hook to one phase: prestart, createRuntime, createContainer, startContainer,
     * poststart or poststop.
     */
    public ConfigEditor addHook(String phase, Hook hook) {
        return editSpec(s -> {
            Hooks h = s.hooks != null ? s.hooks : new Hooks(null, null, null, null, null, null);
            List<List<Hook>> phases = new ArrayList<>(Arrays.asList(h.prestart(), h.createRuntime(),
                    h.createContainer(), h.startContainer(), h.poststart(), h.poststop()));
            int i = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop")
                    .indexOf(phase);
            if (i < 0) {
                throw new IllegalArgumentException("unknown hook phase: " + phase);
            }
            List<Hook> list = new ArrayList<>(phases.get(i) != null ? phases.get(i) : List.of());
            list.add(hook);
            phases.set(i, list);
            s.hooks = new Hooks(phases.get(0), phases.get(1), phases.get(2), phases.get(3), phases.get(4),
                    phases.get(5));
        });
    }

    public ConfigEditor annotations(Map<String, String> annotations) {
        return editSpec(s -> s.annotations = annotations);
    }

    public ConfigEditor annotation(String key, String value) {
        return editSpec(s -> {
            Map<String, String> m = new LinkedHashMap<>(s.annotations != null ? s.annotations : Map.of());
            m.put(key, value);
            s.annotations = m;
        });
    }

    // ------------------------------------------------------------------ linux

    public ConfigEditor namespaces(List<LinuxNamespace> namespaces) {
        return editLinux(l -> l.namespaces = namespaces == null ? null : List.copyOf(namespaces));
    }

    /** Adds a new namespace of that type (pid, network, mount, ipc, uts, user, cgroup, time), if absent. */
    public ConfigEditor addNamespace(String type) {
        return namespace(type, null);
    }

    /** Sets the namespace of that type: join {@code path}, or create a new one if {@code path} is null. */
    public ConfigEditor namespace(String type, String path) {
        return editLinux(l -> {
            List<LinuxNamespace> list = new ArrayList<>(l.namespaces != null ? l.namespaces : List.of());
            int at = indexOfNamespace(list, type);
            LinuxNamespace ns = new LinuxNamespace(type, path);
            if (at >= 0) {
                list.set(at, ns);
            } else {
                list.add(ns);
            }
            l.namespaces = list;
        });
    }

    /** Removes the namespace of that type (the container shares the runtime's). */
    public ConfigEditor removeNamespace(String type) {
        return editLinux(l -> {
            if (l.namespaces != null) {
                List<LinuxNamespace> list = new ArrayList<>(l.namespaces);
                list.removeIf(ns -> type.equals(ns.type()));
                l.namespaces = list;
            }
        });
    }

    private static int indexOfNamespace(List<LinuxNamespace> list, String type) {
        for (int i = 0; i < list.size(); i++) {
            if (type.equals(list.get(i).type())) {
                return i;
            }
        }
        return -1;
    }

    public ConfigEditor uidMappings(LinuxIDMapping... mappings) {
        return editLinux(l -> l.uidMappings = List.of(mappings));
    }

    public ConfigEditor gidMappings(LinuxIDMapping... mappings) {
        return editLinux(l -> l.gidMappings = List.of(mappings));
    }

    /** Adds a user namespace mapping container ids 0..size-1 to host ids starting at hostUid/hostGid. */
    public ConfigEditor userNamespace(long hostUid, long hostGid, long size) {
        return addNamespace("user")
                .uidMappings(new LinuxIDMapping(0L, hostUid, size))
                .gidMappings(new LinuxIDMapping(0L, hostGid, size));
    }

    public ConfigEditor sysctl(String name, String value) {
        return editLinux(l -> {
            Map<String, String> m = new LinkedHashMap<>(l.sysctl != null ? l.sysctl : Map.of());
            m.put(name, value);
            l.sysctl = m;
        });
    }

    public ConfigEditor resources(LinuxResources resources) {
        return editLinux(l -> l.resources = resources);
    }

    /** {@code linux.resources.pids.limit}. */
    public ConfigEditor pidsLimit(long limit) {
        return resources(r -> new LinuxResources(r.devices(), r.memory(), r.cpu(), new LinuxPids(limit), r.blockIO(),
                r.hugepageLimits(), r.network(), r.rdma(), r.unified()));
    }

    /** {@code linux.resources.memory.limit} in bytes (other memory settings kept). */
    public ConfigEditor memoryLimit(long bytes) {
        return resources(r -> {
            LinuxMemory m = r.memory() != null ? r.memory()
                    : new LinuxMemory(null, null, null, null, null, null, null, null, null);
            LinuxMemory updated = new LinuxMemory(bytes, m.reservation(), m.swap(), m.kernel(), m.kernelTCP(),
                    m.swappiness(), m.disableOOMKiller(), m.useHierarchy(), m.checkBeforeUpdate());
            return new LinuxResources(r.devices(), updated, r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(),
                    r.network(), r.rdma(), r.unified());
        });
    }

    public ConfigEditor cgroupsPath(String path) {
        return editLinux(l -> l.cgroupsPath = path);
    }

    public ConfigEditor devices(List<LinuxDevice> devices) {
        return editLinux(l -> l.devices = devices == null ? null : List.copyOf(devices));
    }

    public ConfigEditor addDevice(LinuxDevice device) {
        return editLinux(l -> {
            List<LinuxDevice> list = new ArrayList<>(l.devices != null ? l.devices : List.of());
            list.add(device);
            l.devices = list;
        });
    }

    public ConfigEditor seccomp(LinuxSeccomp seccomp) {
        return editLinux(l -> l.seccomp = seccomp);
    }

    public ConfigEditor rootfsPropagation(String propagation) {
        return editLinux(l -> l.rootfsPropagation = propagation);
    }

    public ConfigEditor maskedPaths(String... paths) {
        return editLinux(l -> l.maskedPaths = List.of(paths));
    }

    public ConfigEditor readonlyPaths(String... paths) {
        return editLinux(l -> l.readonlyPaths = List.of(paths));
    }

    public ConfigEditor personality(String domain) {
        return editLinux(l -> l.personality = new LinuxPersonality(domain, null));
    }

    /** A clock offset for the time namespace (clock: monotonic or boottime). */
    public ConfigEditor timeOffset(String clock, long secs, long nanosecs) {
        return editLinux(l -> {
            Map<String, LinuxTimeOffset> m = new LinkedHashMap<>(l.timeOffsets != null ? l.timeOffsets : Map.of());
            m.put(clock, new LinuxTimeOffset(secs, nanosecs));
            l.timeOffsets = m;
        });
    }

    // ------------------------------------------------------------------ mutable mirrors of the records

    private ConfigEditor editSpec(Consumer<SpecFields> change) {
        SpecFields f = new SpecFields(spec);
        change.accept(f);
        spec = f.build();
        return this;
    }

    private ConfigEditor editProcess(Consumer<ProcessFields> change) {
        return process(p -> {
            ProcessFields f = new ProcessFields(p);
            change.accept(f);
            return f.build();
        });
    }

    private ConfigEditor editLinux(Consumer<LinuxFields> change) {
        return linux(l -> {
            LinuxFields f = new LinuxFields(l);
            change.accept(f);
            return f.build();
        });
    }

    private static final class SpecFields {
        String ociVersion;
        Process process;
        Root root;
        String hostname;
        String domainname;
        List<Mount> mounts;
        Hooks hooks;
        Map<String, String> annotations;
        Linux linux;

        SpecFields(Spec s) {
            ociVersion = s.ociVersion();
            process = s.process();
            root = s.root();
            hostname = s.hostname();
            domainname = s.domainname();
            mounts = s.mounts();
            hooks = s.hooks();
            annotations = s.annotations();
            linux = s.linux();
        }

        Spec build() {
            return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, linux);
        }
    }

    private static final class ProcessFields {
        Boolean terminal;
        Box consoleSize;
        User user;
        List<String> args;
        String commandLine;
        List<String> env;
        String cwd;
        LinuxCapabilities capabilities;
        List<POSIXRlimit> rlimits;
        Boolean noNewPrivileges;
        String apparmorProfile;
        Long oomScoreAdj;
        Scheduler scheduler;
        String selinuxLabel;
        LinuxIOPriority ioPriority;
        CPUAffinity execCPUAffinity;

        ProcessFields(Process p) {
            terminal = p.terminal();
            consoleSize = p.consoleSize();
            user = p.user();
            args = p.args();
            commandLine = p.commandLine();
            env = p.env();
            cwd = p.cwd();
            capabilities = p.capabilities();
            rlimits = p.rlimits();
            noNewPrivileges = p.noNewPrivileges();
            apparmorProfile = p.apparmorProfile();
            oomScoreAdj = p.oomScoreAdj();
            scheduler = p.scheduler();
            selinuxLabel = p.selinuxLabel();
            ioPriority = p.ioPriority();
            execCPUAffinity = p.execCPUAffinity();
        }

        Process build() {
            return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits,
                    noNewPrivileges, apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority,
                    execCPUAffinity);
        }
    }

    private static final class LinuxFields {
        List<LinuxIDMapping> uidMappings;
        List<LinuxIDMapping> gidMappings;
        Map<String, String> sysctl;
        LinuxResources resources;
        String cgroupsPath;
        List<LinuxNamespace> namespaces;
        List<LinuxDevice> devices;
        Map<String, LinuxNetDevice> netDevices;
        LinuxSeccomp seccomp;
        String rootfsPropagation;
        List<String> maskedPaths;
        List<String> readonlyPaths;
        String mountLabel;
        LinuxIntelRdt intelRdt;
        LinuxMemoryPolicy memoryPolicy;
        LinuxPersonality personality;
        Map<String, LinuxTimeOffset> timeOffsets;

        LinuxFields(Linux l) {
            uidMappings = l.uidMappings();
            gidMappings = l.gidMappings();
            sysctl = l.sysctl();
            resources = l.resources();
            cgroupsPath = l.cgroupsPath();
            namespaces = l.namespaces();
            devices = l.devices();
            netDevices = l.netDevices();
            seccomp = l.seccomp();
            rootfsPropagation = l.rootfsPropagation();
            maskedPaths = l.maskedPaths();
            readonlyPaths = l.readonlyPaths();
            mountLabel = l.mountLabel();
            intelRdt = l.intelRdt();
            memoryPolicy = l.memoryPolicy();
            personality = l.personality();
            timeOffsets = l.timeOffsets();
        }

        Linux build() {
            return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, namespaces, devices, netDevices,
                    seccomp, rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, memoryPolicy,
                    personality, timeOffsets);
        }
    }
}
