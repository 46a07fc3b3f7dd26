package dev.jrun.spec;

import dev.jrun.spec.model.Box;
import dev.jrun.spec.model.CPUAffinity;
import dev.jrun.spec.model.Hook;
import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxIOPriority;
import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.POSIXRlimit;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Root;
import dev.jrun.spec.model.Scheduler;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes config.json's platform-independent part and the process object. Each method reads the
 * value under the cursor and returns {@code null} for JSON {@code null} or a value of the wrong
 * type (reported by {@link JsonIn}). Unknown fields are skipped: the spec requires runtimes to
 * ignore them.
 */
final class SpecDecoder {
    private final JsonIn in;

    SpecDecoder(JsonIn in) {
        this.in = in;
    }

    Spec spec() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String ociVersion = null;
        Process process = null;
        Root root = null;
        String hostname = null;
        String domainname = null;
        List<Mount> mounts = null;
        Hooks hooks = null;
        Map<String, String> annotations = null;
        Linux linux = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "ociVersion" -> ociVersion = in.string();
                case "process" -> process = process();
                case "root" -> root = root();
                case "hostname" -> hostname = in.string();
                case "domainname" -> domainname = in.string();
                case "mounts" -> mounts = mounts();
                case "hooks" -> hooks = hooks();
                case "annotations" -> annotations = in.stringMap();
                case "linux" -> linux = new LinuxDecoder(in).linux();
                default -> in.skipValue();
            }
        }
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, linux);
    }

    Process process() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Boolean terminal = null;
        Box consoleSize = null;
        User user = null;
        List<String> args = null;
        String commandLine = null;
        List<String> env = null;
        String cwd = null;
        LinuxCapabilities capabilities = null;
        List<POSIXRlimit> rlimits = null;
        Boolean noNewPrivileges = null;
        String apparmorProfile = null;
        Long oomScoreAdj = null;
        Scheduler scheduler = null;
        String selinuxLabel = null;
        LinuxIOPriority ioPriority = null;
        CPUAffinity execCPUAffinity = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "terminal" -> terminal = in.bool();
                case "consoleSize" -> consoleSize = box();
                case "user" -> user = user();
                case "args" -> args = in.strings();
                case "commandLine" -> commandLine = in.string();
                case "env" -> env = in.strings();
                case "cwd" -> cwd = in.string();
                case "capabilities" -> capabilities = capabilities();
                case "rlimits" -> rlimits = rlimits();
                case "noNewPrivileges" -> noNewPrivileges = in.bool();
                case "apparmorProfile" -> apparmorProfile = in.string();
                case "oomScoreAdj" -> oomScoreAdj = in.int64();
                case "scheduler" -> scheduler = scheduler();
                case "selinuxLabel" -> selinuxLabel = in.string();
                case "ioPriority" -> ioPriority = ioPriority();
                case "execCPUAffinity" -> execCPUAffinity = cpuAffinity();
                default -> in.skipValue();
            }
        }
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities,
                rlimits, noNewPrivileges, apparmorProfile, oomScoreAdj, scheduler, selinuxLabel,
                ioPriority, execCPUAffinity);
    }

    private Box box() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long height = null;
        Long width = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "height" -> height = in.uint64();
                case "width" -> width = in.uint64();
                default -> in.skipValue();
            }
        }
        return new Box(height, width);
    }

    private User user() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long uid = null;
        Long gid = null;
        Long umask = null;
        List<Long> additionalGids = null;
        String username = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "uid" -> uid = in.uint32();
                case "gid" -> gid = in.uint32();
                case "umask" -> umask = in.uint32();
                case "additionalGids" -> additionalGids = in.uint32s();
                case "username" -> username = in.string();
                default -> in.skipValue();
            }
        }
        return new User(uid, gid, umask, additionalGids, username);
    }

    private LinuxCapabilities capabilities() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        List<String> bounding = null;
        List<String> effective = null;
        List<String> inheritable = null;
        List<String> permitted = null;
        List<String> ambient = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "bounding" -> bounding = in.strings();
                case "effective" -> effective = in.strings();
                case "inheritable" -> inheritable = in.strings();
                case "permitted" -> permitted = in.strings();
                case "ambient" -> ambient = in.strings();
                default -> in.skipValue();
            }
        }
        return new LinuxCapabilities(bounding, effective, inheritable, permitted, ambient);
    }

    private List<POSIXRlimit> rlimits() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<POSIXRlimit> list = new ArrayList<>();
        while (in.nextElement()) {
            POSIXRlimit r = rlimit();
            list.add(r != null ? r : new POSIXRlimit(null, null, null));
        }
        return list;
    }

    private POSIXRlimit rlimit() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String type = null;
        Long hard = null;
        Long soft = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "type" -> type = in.string();
                case "hard" -> hard = in.uint64();
                case "soft" -> soft = in.uint64();
                default -> in.skipValue();
            }
        }
        return new POSIXRlimit(type, hard, soft);
    }

    private Scheduler scheduler() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String policy = null;
        Integer nice = null;
        Integer priority = null;
        List<String> flags = null;
        Long runtime = null;
        Long deadline = null;
        Long period = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "policy" -> policy = in.string();
                case "nice" -> nice = in.int32();
                case "priority" -> priority = in.int32();
                case "flags" -> flags = in.strings();
                case "runtime" -> runtime = in.uint64();
                case "deadline" -> deadline = in.uint64();
                case "period" -> period = in.uint64();
                default -> in.skipValue();
            }
        }
        return new Scheduler(policy, nice, priority, flags, runtime, deadline, period);
    }

    private LinuxIOPriority ioPriority() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String ioClass = null;
        Long priority = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "class" -> ioClass = in.string();
                case "priority" -> priority = in.int64();
                default -> in.skipValue();
            }
        }
        return new LinuxIOPriority(ioClass, priority);
    }

    private CPUAffinity cpuAffinity() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String initial = null;
        String finalCpus = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "initial" -> initial = in.string();
                case "final" -> finalCpus = in.string();
                default -> in.skipValue();
            }
        }
        return new CPUAffinity(initial, finalCpus);
    }

    private Root root() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String path = null;
        Boolean readonly = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "path" -> path = in.string();
                case "readonly" -> readonly = in.bool();
                default -> in.skipValue();
            }
        }
        return new Root(path, readonly);
    }

    private List<Mount> mounts() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<Mount> list = new ArrayList<>();
        while (in.nextElement()) {
            Mount m = mount();
            list.add(m != null ? m : new Mount(null, null, null, null, null, null));
        }
        return list;
    }

    private Mount mount() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String destination = null;
        String type = null;
        String source = null;
        List<String> options = null;
        List<LinuxIDMapping> uidMappings = null;
        List<LinuxIDMapping> gidMappings = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "destination" -> destination = in.string();
                case "type" -> type = in.string();
                case "source" -> source = in.string();
                case "options" -> options = in.strings();
                case "uidMappings" -> uidMappings = idMappings(in);
                case "gidMappings" -> gidMappings = idMappings(in);
                default -> in.skipValue();
            }
        }
        return new Mount(destination, type, source, options, uidMappings, gidMappings);
    }

    /** Shared with {@link LinuxDecoder}: mounts and the user namespace use the same mappings. */
    static List<LinuxIDMapping> idMappings(JsonIn in) throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxIDMapping> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxIDMapping m = idMapping(in);
            list.add(m != null ? m : new LinuxIDMapping(null, null, null));
        }
        return list;
    }

    private static LinuxIDMapping idMapping(JsonIn in) throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long containerID = null;
        Long hostID = null;
        Long size = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "containerID" -> containerID = in.uint32();
                case "hostID" -> hostID = in.uint32();
                case "size" -> size = in.uint32();
                default -> in.skipValue();
            }
        }
        return new LinuxIDMapping(containerID, hostID, size);
    }

    private Hooks hooks() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        List<Hook> prestart = null;
        List<Hook> createRuntime = null;
        List<Hook> createContainer = null;
        List<Hook> startContainer = null;
        List<Hook> poststart = null;
        List<Hook> poststop = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "prestart" -> prestart = hookList();
                case "createRuntime" -> createRuntime = hookList();
                case "createContainer" -> createContainer = hookList();
                case "startContainer" -> startContainer = hookList();
                case "poststart" -> poststart = hookList();
                case "poststop" -> poststop = hookList();
                default -> in.skipValue();
            }
        }
        return new Hooks(prestart, createRuntime, createContainer, startContainer, poststart, poststop);
    }

    private List<Hook> hookList() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<Hook> list = new ArrayList<>();
        while (in.nextElement()) {
            Hook h = hook();
            list.add(h != null ? h : new Hook(null, null, null, null));
        }
        return list;
    }

    private Hook hook() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String path = null;
        List<String> args = null;
        List<String> env = null;
        Long timeout = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "path" -> path = in.string();
                case "args" -> args = in.strings();
                case "env" -> env = in.strings();
                case "timeout" -> timeout = in.int64();
                default -> in.skipValue();
            }
        }
        return new Hook(path, args, env, timeout);
    }
}
