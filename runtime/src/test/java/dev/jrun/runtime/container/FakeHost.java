package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.cgroups.CgroupStats;
import dev.jrun.runtime.plan.CgroupView;
import dev.jrun.runtime.process.Executor;
import dev.jrun.runtime.process.SyncSocket;
import dev.jrun.spec.model.LinuxResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A machine of processes and cgroups in memory, recording what the operations did to it. */
final class FakeHost implements Host {
    static final int EXECUTOR_PID = 1000;

    final FakeSyscalls sys = new FakeSyscalls();
    /** Living processes: pid to start time. */
    final Map<Integer, Long> processes = sys.processes;
    final Map<String, FakeCgroup> cgroups = new HashMap<>();
    final List<String> signals = new ArrayList<>();
    final List<String> idMaps = new ArrayList<>();
    /** Set to make creating the cgroup fail. */
    String cgroupFailure;
    int executorsStarted;

    /** A cgroup that records what was done to it. */
    final class FakeCgroup extends CgroupManager {
        final String dir;
        final List<String> events = new ArrayList<>();
        final List<Integer> members = new ArrayList<>();
        boolean exists;
        boolean frozen;

        FakeCgroup(String dir) {
            this.dir = dir;
        }

        @Override
        public Map<String, String> paths() {
            return Map.of(UNIFIED, dir);
        }

        @Override
        public NewDirs newDirs() {
            return new NewDirs(exists ? Map.of() : paths(), Map.of());
        }

        @Override
        public void removeParents(Map<String, String> parents) {
            if (!parents.isEmpty()) {
                events.add("removeParents");
            }
        }

        @Override
        public void create(LinuxResources resources) throws CgroupException {
            if (cgroupFailure != null) {
                throw new CgroupException(cgroupFailure);
            }
            exists = true;
            events.add("create");
        }

        @Override
        public void apply(LinuxResources resources) {
            events.add("apply");
        }

        @Override
        public void update(LinuxResources resources) {
            events.add("update");
        }

        @Override
        public void addProcess(int pid) {
            members.add(pid);
            events.add("add " + pid);
        }

        @Override
        public List<Integer> pids() {
            members.removeIf(pid -> !processes.containsKey(pid));
            return List.copyOf(members);
        }

        @Override
        public void setFrozen(boolean frozen) {
            this.frozen = frozen;
            events.add(frozen ? "freeze" : "thaw");
        }

        @Override
        public boolean isFrozen() {
            return frozen;
        }

        @Override
        public boolean frozenBeforeCreate() {
            return frozen;
        }

        @Override
        public void destroy() {
            exists = false;
            events.add("destroy");
        }

        @Override
        public CgroupView view() {
            return new CgroupView(dir, true, List.of());
        }

        @Override
        public CgroupStats stats() {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public FakeSyscalls sys() {
        return sys;
    }

    @Override
    public CgroupManager newCgroup(String cgroupsPath, String id) {
        String dir = "/fake/cgroup/" + (cgroupsPath == null ? id : cgroupsPath);
        return cgroups.computeIfAbsent(dir, FakeCgroup::new);
    }

    @Override
    public CgroupManager cgroup(Map<String, String> paths) {
        return cgroups.computeIfAbsent(paths.get(CgroupManager.UNIFIED), FakeCgroup::new);
    }

    @Override
    public boolean frozen(Map<String, String> paths) {
        FakeCgroup cg = cgroups.get(paths.get(CgroupManager.UNIFIED));
        return cg != null && cg.frozen;
    }

    @Override
    public ProcStat stat(int pid) {
        Long start = processes.get(pid);
        return start == null ? null : new ProcStat('S', start);
    }

    @Override
    public boolean signal(int pid, int signal) {
        signals.add(pid + " " + signal);
        if (!processes.containsKey(pid)) {
            return false;
        }
        if (signal == 9) {
            processes.remove(pid);
        }
        return true;
    }

    /** What the executor does to the machine while it runs (its mounts, say). */
    Runnable executorEffects = () -> { };

    @Override
    public Executor.Started startExecutor(Executor executor) {
        executorsStarted++;
        executorEffects.run();
        processes.put(EXECUTOR_PID, 1L);
        sys.executorFd = sys.newFd();
        return new Executor.Started(EXECUTOR_PID, new SyncSocket(sys, sys.executorFd));
    }

    @Override
    public Facts facts() {
        return new Facts(false, null, false);
    }

    @Override
    public void writeIdMaps(int pid, String uidMap, String gidMap) {
        idMaps.add(pid + ": " + uidMap.trim() + " / " + gidMap.trim());
    }

    /** Mounts of the caller's namespace: id to mount point. */
    final Map<String, String> mounts = new java.util.LinkedHashMap<>();

    @Override
    public Map<String, String> mountsUnder(Path dir) {
        Map<String, String> under = new java.util.LinkedHashMap<>();
        mounts.forEach((id, point) -> {
            if (Path.of(point).startsWith(dir)) {
                under.put(id, point);
            }
        });
        return under;
    }

    @Override
    public boolean detachMount(String mountId, String mountPoint) {
        return mounts.remove(mountId, mountPoint);
    }

    @Override
    public List<String> fullProcAndSysMountsOutside(Path dir) {
        return List.of("/proc");
    }

    @Override
    public String mountPointOf(Path path) {
        return "/";
    }
}
