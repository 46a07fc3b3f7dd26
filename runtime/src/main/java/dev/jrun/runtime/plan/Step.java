package dev.jrun.runtime.plan;

import java.util.List;

/**
 * One primitive operation of jrun-init, with named arguments: the executor's whole vocabulary.
 * Each record's components are its wire arguments in order ({@link #encode} writes them;
 * PlanProtocolTest checks the two agree), and runtime/src/main/c/protocol.h, generated from
 * these records, gives jrun-init the same names and argument kinds.  Integers travel as i64,
 * booleans as 0 or 1, strings and byte arrays as length-prefixed bytes, string lists as lists.
 */
public sealed interface Step {

    Op op();

    void encode(Args out);

    /** The wire form of a step's arguments. */
    interface Args {
        Args i(long value);

        default Args b(boolean value) {
            return i(value ? 1 : 0);
        }

        Args s(String value);

        Args bytes(byte[] value);

        Args v(List<String> values);
    }

    // ------------------------------------------------------------------ talking to the parent

    /** Stop until the parent has done its part for this tag (a Wire.SYNC_* value). */
    record Sync(long tag) implements Step {
        public Op op() { return Op.SYNC; }
        public void encode(Args out) { out.i(tag); }
    }

    /** Say the container (or exec'd process) is ready; the sync socket closes with it. */
    record ReportCreated() implements Step {
        public Op op() { return Op.REPORT_CREATED; }
        public void encode(Args out) { }
    }

    /** Block until `start` writes to exec.fifo. */
    record WaitStart(long fifoFd) implements Step {
        public Op op() { return Op.WAIT_START; }
        public void encode(Args out) { out.i(fifoFd); }
    }

    // ------------------------------------------------------------------ namespaces

    /**
     * Join the namespaces at paths (types: their CLONE_NEW* flags as packed little-endian u32),
     * as runc's nsexec does: every path is opened first, then the namespaces other than the user
     * namespace are joined where permitted, then the user namespace (becoming its root), then
     * those that needed its privileges.  names (config.json's types) are for its messages.
     */
    record JoinNamespaces(List<String> paths, byte[] types, List<String> names) implements Step {
        public Op op() { return Op.JOIN_NAMESPACES; }
        public void encode(Args out) { out.v(paths).bytes(types).v(names); }
    }

    /**
     * Clone the bind sources' trees now, while jrun-init is still the runtime's root in the
     * runtime's namespaces: a source the container's user namespace may not open is mounted from
     * these (a Bind's sourceSlot indexes them), as runc hands such sources in.  recursive: one
     * byte per source, 1 for rbind.
     */
    record OpenMountSources(List<String> sources, byte[] recursive) implements Step {
        public Op op() { return Op.OPEN_MOUNT_SOURCES; }
        public void encode(Args out) { out.v(sources).bytes(recursive); }
    }

    /**
     * A user namespace to id-map mounts with, kept by jrun-init as the next mapping slot: the
     * namespace at path if one is given, else a new one (held by a short-lived child of
     * jrun-init) whose uid_map and gid_map are these texts, in the kernel's "inside outside
     * count" lines.  Made while jrun-init is still the runtime's root on the host.
     */
    record MappingUserns(String uidMap, String gidMap, String path) implements Step {
        public Op op() { return Op.MAPPING_USERNS; }
        public void encode(Args out) { out.s(uidMap).s(gidMap).s(path); }
    }

    /**
     * Clone source's tree (recursive: with its submounts) and id-map it with the user namespace
     * in mapping slot userns (recursiveIdMap: every mount of the tree, else its top one only);
     * the result is the next source slot, for the Bind that puts it in place.  Done on the host,
     * as MOUNT_ATTR_IDMAP needs privilege over the source's filesystem.
     */
    record IdMapSource(String source, boolean recursive, long userns, boolean recursiveIdMap) implements Step {
        public Op op() { return Op.ID_MAP_SOURCE; }
        public void encode(Args out) { out.s(source).b(recursive).i(userns).b(recursiveIdMap); }
    }

    /** Join every namespace in types (CLONE_NEW* flags) of the process pidfd names, at once. */
    record SetnsFd(long pidfd, long types) implements Step {
        public Op op() { return Op.SETNS_FD; }
        public void encode(Args out) { out.i(pidfd).i(types); }
    }

    record Unshare(long flags) implements Step {
        public Op op() { return Op.UNSHARE; }
        public void encode(Args out) { out.i(flags); }
    }

    /** Fork the process that becomes the container's (or exec's); the first one reports it and exits. */
    record Fork() implements Step {
        public Op op() { return Op.FORK; }
        public void encode(Args out) { }
    }

    /** Write data to a file of jrun-init's own procfs, e.g. "self/oom_score_adj" or "sys/net/...". */
    record ProcWrite(String path, String data) implements Step {
        public Op op() { return Op.PROC_WRITE; }
        public void encode(Args out) { out.s(path).s(data); }
    }

    // ------------------------------------------------------------------ the root filesystem

    /** mount(2) propagation flags (MS_*) applied to /. */
    record RootPropagation(long flags) implements Step {
        public Op op() { return Op.ROOT_PROPAGATION; }
        public void encode(Args out) { out.i(flags); }
    }

    /**
     * Open the rootfs as the root every later path resolves in; bindOntoItself makes it a mount
     * of its own (pivot_root needs one), after parentMount ("" for none) is made private.
     */
    record PrepareRootfs(String rootfs, String parentMount, boolean bindOntoItself) implements Step {
        public Op op() { return Op.PREPARE_ROOTFS; }
        public void encode(Args out) { out.s(rootfs).s(parentMount).b(bindOntoItself); }
    }

    /** No later mount may resolve into dir (or onto the rootfs), except onto the allowed paths. */
    record MountGuard(String dir, List<String> allowed) implements Step {
        public Op op() { return Op.MOUNT_GUARD; }
        public void encode(Args out) { out.s(dir).v(allowed); }
    }

    /**
     * Bind source onto dest (rootfs-relative).  set/clear are mount_setattr bits for the top
     * mount, recursiveSet/recursiveClear for every mount of the tree; propagation is an MS_*
     * type; resolve a {@link Resolve} mode; procPolicy a {@link ProcGuard} value.  If the
     * source has flags locked (a less privileged mount namespace), set/clear are retried with
     * them kept, unless one is in explicitClear or atimeRequested asks for another atime mode.
     * sourceSlot: the {@link OpenMountSources} clone to use if the container may not open the
     * source itself, or -1; with idMapped, the {@link IdMapSource} tree to mount, always.
     */
    record Bind(String source, String dest, boolean recursive, long set, long clear, long recursiveSet,
            long recursiveClear, long propagation, boolean propagationRecursive, long resolve, long procPolicy,
            long explicitClear, boolean atimeRequested, long sourceSlot, boolean idMapped) implements Step {
        public Op op() { return Op.BIND; }
        public void encode(Args out) {
            out.s(source).s(dest).b(recursive).i(set).i(clear).i(recursiveSet).i(recursiveClear).i(propagation)
                    .b(propagationRecursive).i(resolve).i(procPolicy).i(explicitClear).b(atimeRequested).i(sourceSlot)
                    .b(idMapped);
        }
    }

    /**
     * A new filesystem: fsopen(fstype), fsconfig source and params ("key=value" or "flag"),
     * attach.  modeFromTarget: if dest already exists, a "mode=" of its permissions goes before
     * the params (so a mode= of the config's still wins).  copyUp (tmpcopyup): what dest held is
     * copied into the new filesystem (owners, modes, times, xattrs) before it covers dest.
     */
    record MountFs(String fstype, String source, String dest, List<String> params, long set, long clear,
            long propagation, long resolve, long procPolicy, boolean modeFromTarget, boolean copyUp)
            implements Step {
        public Op op() { return Op.MOUNT_FS; }
        public void encode(Args out) {
            out.s(fstype).s(source).s(dest).v(params).i(set).i(clear).i(propagation).i(resolve).i(procPolicy)
                    .b(modeFromTarget).b(copyUp);
        }
    }

    /** Change the attributes of the mount at dest (rootfs-relative). */
    record SetAttr(String dest, long set, long clear, boolean recursive) implements Step {
        public Op op() { return Op.SET_ATTR; }
        public void encode(Args out) { out.s(dest).i(set).i(clear).b(recursive); }
    }

    /** Create a device node (mode holds the S_IF* type), replacing what the image has there. */
    record Mknod(String path, long mode, long major, long minor, long uid, long gid) implements Step {
        public Op op() { return Op.MKNOD; }
        public void encode(Args out) { out.s(path).i(mode).i(major).i(minor).i(uid).i(gid); }
    }

    /** Bind the host's device node onto dest: mknod is refused inside a user namespace. */
    record BindDevice(String hostPath, String dest) implements Step {
        public Op op() { return Op.BIND_DEVICE; }
        public void encode(Args out) { out.s(hostPath).s(dest); }
    }

    record Symlink(String target, String path) implements Step {
        public Op op() { return Op.SYMLINK; }
        public void encode(Args out) { out.s(target).s(path); }
    }

    /** Cover path: a file with the verified null device, a directory with a read-only tmpfs. */
    record Mask(String path) implements Step {
        public Op op() { return Op.MASK; }
        public void encode(Args out) { out.s(path); }
    }

    /** Bind path onto itself read-only (recursively). */
    record Readonly(String path) implements Step {
        public Op op() { return Op.READONLY; }
        public void encode(Args out) { out.s(path); }
    }

    record RootReadonly() implements Step {
        public Op op() { return Op.ROOT_READONLY; }
        public void encode(Args out) { }
    }

    record PivotRoot() implements Step {
        public Op op() { return Op.PIVOT_ROOT; }
        public void encode(Args out) { }
    }

    /**
     * --no-pivot: MS_MOVE the rootfs onto / and chroot into it, after detaching (or covering)
     * hideMounts, the fully visible procfs and sysfs mounts outside it.
     */
    record MoveRoot(List<String> hideMounts) implements Step {
        public Op op() { return Op.MOVE_ROOT; }
        public void encode(Args out) { out.v(hideMounts); }
    }

    /** Without a mount namespace of its own, the container is confined to the rootfs by chroot. */
    record Chroot() implements Step {
        public Op op() { return Op.CHROOT; }
        public void encode(Args out) { }
    }

    /** exec: the container's / (where joining its mount namespace left us) is the root. */
    record OpenRoot() implements Step {
        public Op op() { return Op.OPEN_ROOT; }
        public void encode(Args out) { }
    }

    // ------------------------------------------------------------------ console and hooks

    /**
     * Make a pty on the container's devpts and send its master to socketFd; bindDevConsole puts
     * the peer on /dev/console.
     */
    record Console(long socketFd, long rows, long cols, long uid, long gid, boolean bindDevConsole)
            implements Step {
        public Op op() { return Op.CONSOLE; }
        public void encode(Args out) { out.i(socketFd).i(rows).i(cols).i(uid).i(gid).b(bindDevConsole); }
    }

    /** The console peer becomes stdio and the controlling terminal. */
    record Ctty() implements Step {
        public Op op() { return Op.CTTY; }
        public void encode(Args out) { }
    }

    /**
     * Run a hook with the last sync answer (the state JSON) on stdin; timeout 0 waits forever.
     * name ("startContainer hook #0") is what a failure is reported as once nobody listens on the
     * sync socket.  inRootfs: its working directory is the container's root (createContainer).
     * addHome: HOME from the container's passwd ({@link DefaultHome}) joins env.
     */
    record RunHook(String name, String path, List<String> args, List<String> env, long timeoutSeconds,
            boolean inRootfs, boolean addHome) implements Step {
        public Op op() { return Op.RUN_HOOK; }
        public void encode(Args out) { out.s(name).s(path).v(args).v(env).i(timeoutSeconds).b(inRootfs).b(addHome); }
    }

    // ------------------------------------------------------------------ process attributes

    record SetHostname(String name) implements Step {
        public Op op() { return Op.SET_HOSTNAME; }
        public void encode(Args out) { out.s(name); }
    }

    record SetDomainname(String name) implements Step {
        public Op op() { return Op.SET_DOMAINNAME; }
        public void encode(Args out) { out.s(name); }
    }

    /** The session keyring to join, unless --no-new-keyring. */
    record Keyring(String name) implements Step {
        public Op op() { return Op.KEYRING; }
        public void encode(Args out) { out.s(name); }
    }

    record SetRlimit(long resource, long soft, long hard) implements Step {
        public Op op() { return Op.SET_RLIMIT; }
        public void encode(Args out) { out.i(resource).i(soft).i(hard); }
    }

    record Personality(long persona) implements Step {
        public Op op() { return Op.PERSONALITY; }
        public void encode(Args out) { out.i(persona); }
    }

    /** sched_setattr(2)'s fields. */
    record Sched(long policy, long flags, long nice, long priority, long runtime, long deadline, long period)
            implements Step {
        public Op op() { return Op.SCHED; }
        public void encode(Args out) { out.i(policy).i(flags).i(nice).i(priority).i(runtime).i(deadline).i(period); }
    }

    record Ioprio(long value) implements Step {
        public Op op() { return Op.IOPRIO; }
        public void encode(Args out) { out.i(value); }
    }

    /** A cpu_set_t as bytes. */
    record Affinity(byte[] mask) implements Step {
        public Op op() { return Op.AFFINITY; }
        public void encode(Args out) { out.bytes(mask); }
    }

    /** set_mempolicy(2): mode with its flags, and the node mask as bytes. */
    record Mempolicy(long modeAndFlags, byte[] nodes) implements Step {
        public Op op() { return Op.MEMPOLICY; }
        public void encode(Args out) { out.i(modeAndFlags).bytes(nodes); }
    }

    record Setsid() implements Step {
        public Op op() { return Op.SETSID; }
        public void encode(Args out) { }
    }

    // ------------------------------------------------------------------ credentials

    record NoNewPrivs() implements Step {
        public Op op() { return Op.NO_NEW_PRIVS; }
        public void encode(Args out) { }
    }

    /** Load a BPF program; sendListener: pass the notify listener fd to the parent and wait. */
    record Seccomp(long flags, byte[] program, boolean sendListener) implements Step {
        public Op op() { return Op.SECCOMP; }
        public void encode(Args out) { out.i(flags).bytes(program).b(sendListener); }
    }

    /** Drop every capability not in keep (a bit mask) from the bounding set. */
    record CapBounding(long keep) implements Step {
        public Op op() { return Op.CAP_BOUNDING; }
        public void encode(Args out) { out.i(keep); }
    }

    /** The supplementary groups, as packed little-endian u32 gids. */
    record SetGroups(byte[] gids) implements Step {
        public Op op() { return Op.SET_GROUPS; }
        public void encode(Args out) { out.bytes(gids); }
    }

    record SetGid(long gid) implements Step {
        public Op op() { return Op.SET_GID; }
        public void encode(Args out) { out.i(gid); }
    }

    /** setresuid, keeping the capabilities across the change (the next step sets them). */
    record SetUid(long uid) implements Step {
        public Op op() { return Op.SET_UID; }
        public void encode(Args out) { out.i(uid); }
    }

    record Capset(long effective, long permitted, long inheritable) implements Step {
        public Op op() { return Op.CAPSET; }
        public void encode(Args out) { out.i(effective).i(permitted).i(inheritable); }
    }

    record Ambient(long raise) implements Step {
        public Op op() { return Op.AMBIENT; }
        public void encode(Args out) { out.i(raise); }
    }

    record Umask(long mask) implements Step {
        public Op op() { return Op.UMASK; }
        public void encode(Args out) { out.i(mask); }
    }

    // ------------------------------------------------------------------ hand-over

    /** Close the rootfs, procfs and null-device fds the set-up held. */
    record CloseSetupFds() implements Step {
        public Op op() { return Op.CLOSE_SETUP_FDS; }
        public void encode(Args out) { }
    }

    /** mkdir -p inside the root (the process's cwd, which runc creates when missing). */
    record Mkdir(String path, long mode) implements Step {
        public Op op() { return Op.MKDIR; }
        public void encode(Args out) { out.s(path).i(mode); }
    }

    /**
     * chdir, and verify the result lies inside the container's root.  deferIfDenied: a
     * permission error waits for a later Chdir (after the process's own ids are set, which may
     * be the only ones allowed in); a Chdir without it does nothing if the first one succeeded.
     */
    record Chdir(String path, boolean deferIfDenied) implements Step {
        public Op op() { return Op.CHDIR; }
        public void encode(Args out) { out.s(path).b(deferIfDenied); }
    }

    /** Find argv[0] along path (the PATH value) now, so a missing command fails before "created". */
    record LookupExec(String name, String path) implements Step {
        public Op op() { return Op.LOOKUP_EXEC; }
        public void encode(Args out) { out.s(name).s(path); }
    }

    /** Add HOME from the container's /etc/passwd entry for uid to the environment of {@link Exec}. */
    record DefaultHome(long uid) implements Step {
        public Op op() { return Op.DEFAULT_HOME; }
        public void encode(Args out) { out.i(uid); }
    }

    record Exec(List<String> argv, List<String> env) implements Step {
        public Op op() { return Op.EXEC; }
        public void encode(Args out) { out.v(argv).v(env); }
    }
}
