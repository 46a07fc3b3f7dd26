package dev.jrun.runtime.checkpoint;

import dev.jrun.runtime.checkpoint.rpc.CriuRpc.cgroup_root;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_cg_mode;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_features;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_opts;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_page_server_info;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_req;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_req_type;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.ext_mount_map;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.inherit_fd;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.join_namespace;
import java.util.List;
import java.util.Map;

/**
 * The requests jrun sends CRIU, with the options runc sets, so images are interchangeable
 * with runc's and CRIU behaves as under runc.  The fds named here are the caller's: CRIU
 * opens the image and work directories through /proc/PEER/fd; inherited fds are CRIU's own.
 */
public final class CriuRequests {
    /** CRIU's log levels: 4 is debug, what runc asks for so a failure can be diagnosed. */
    private static final int LOG_LEVEL = 4;
    public static final String DUMP_LOG = "dump.log";
    public static final String RESTORE_LOG = "restore.log";
    private static final long CLONE_NEWNET = 0x40000000L;

    private CriuRequests() {
    }

    /**
     * A dump (or pre-dump) of the process tree under pid.
     *
     * @param root the rootfs as the host sees it
     * @param freezeCgroup the freezer (v1) or unified (v2) cgroup directory CRIU freezes, or null
     * @param extMounts mount point to the key recorded for it
     * @param external CRIU "--external" values (namespaces joined by path)
     */
    public record Dump(int pid, String root, int imagesDirFd, int workDirFd, String freezeCgroup,
            Map<String, String> extMounts, List<String> external, String configFile, CriuOptions options) {
    }

    /**
     * A restore into the namespaces and cgroup CRIU is started in.
     *
     * @param root the rootfs, a mount point in CRIU's mount namespace
     * @param extMounts key recorded on dump to the host path bound there now
     * @param joinNamespaces CRIU namespace name ("ipc", "uts", ...) to the path of one to join
     * @param inheritFds key recorded on dump to CRIU's fd that replaces it
     * @param cgroupRoots controller ("" for the unified hierarchy) to the cgroup CRIU restores into
     * @param cgroupYard an empty directory where CRIU mounts the cgroup hierarchies it restores
     *     into, or null for its own choice (a temporary directory in its work directory)
     */
    public record Restore(String root, int imagesDirFd, int workDirFd, Map<String, String> extMounts,
            Map<String, String> joinNamespaces, Map<String, Integer> inheritFds, Map<String, String> cgroupRoots,
            String cgroupYard, String configFile, CriuOptions options) {
    }

    public static byte[] dump(Dump d) throws CriuException {
        CriuOptions o = d.options();
        criu_opts.Builder opts = criu_opts.newBuilder()
                .setImagesDirFd(d.imagesDirFd())
                .setLogLevel(LOG_LEVEL)
                .setLogFile(DUMP_LOG)
                .setRoot(d.root())
                .setManageCgroups(true)
                .setManageCgroupsMode(cgroupMode(o.manageCgroupsMode()))
                .setNotifyScripts(true)
                .setPid(d.pid())
                .setShellJob(o.shellJob())
                .setLeaveRunning(o.leaveRunning())
                .setTcpEstablished(o.tcpEstablished())
                .setTcpSkipInFlight(o.tcpSkipInFlight())
                .setLinkRemap(o.linkRemap())
                .setExtUnixSk(o.extUnixSk())
                .setFileLocks(o.fileLocks())
                .setEmptyNs(emptyNs(o.emptyNs()))
                .setOrphanPtsMaster(true)
                .setAutoDedup(o.autoDedup())
                .setLazyPages(o.lazyPages());
        if (d.workDirFd() >= 0) {
            opts.setWorkDirFd(d.workDirFd());
        }
        if (d.configFile() != null) {
            opts.setConfigFile(d.configFile());
        }
        opts.addAllExternal(d.external());
        if (d.freezeCgroup() != null) {
            opts.setFreezeCgroup(d.freezeCgroup());
        }
        if (o.pageServer() != null) {
            PageServer ps = PageServer.parse(o.pageServer());
            opts.setPs(criu_page_server_info.newBuilder().setAddress(ps.address()).setPort(ps.port()));
        }
        if (o.parentPath() != null) {
            opts.setParentImg(o.parentPath()).setTrackMem(true);
        }
        if (!o.preDump()) {
            for (Map.Entry<String, String> e : d.extMounts().entrySet()) {
                opts.addExtMnt(ext_mount_map.newBuilder().setKey(e.getKey()).setVal(e.getValue()));
            }
        }
        return criu_req.newBuilder().setType(o.preDump() ? criu_req_type.PRE_DUMP : criu_req_type.DUMP).setOpts(opts)
                .build().toByteArray();
    }

    public static byte[] restore(Restore r) throws CriuException {
        CriuOptions o = r.options();
        criu_opts.Builder opts = criu_opts.newBuilder()
                .setImagesDirFd(r.imagesDirFd())
                .setEvasiveDevices(true)
                .setLogLevel(LOG_LEVEL)
                .setLogFile(RESTORE_LOG)
                .setRstSibling(true)
                .setRoot(r.root())
                .setManageCgroups(true)
                .setManageCgroupsMode(cgroupMode(o.manageCgroupsMode()))
                .setNotifyScripts(true)
                .setShellJob(o.shellJob())
                .setExtUnixSk(o.extUnixSk())
                .setTcpEstablished(o.tcpEstablished())
                .setFileLocks(o.fileLocks())
                .setEmptyNs(emptyNs(o.emptyNs()))
                .setOrphanPtsMaster(true)
                .setAutoDedup(o.autoDedup())
                .setLazyPages(o.lazyPages());
        if (o.lsmProfile() != null) {
            opts.setLsmProfile(o.lsmProfile());
        }
        if (o.lsmMountContext() != null) {
            opts.setLsmMountContext(o.lsmMountContext());
        }
        if (r.workDirFd() >= 0) {
            opts.setWorkDirFd(r.workDirFd());
        }
        if (r.configFile() != null) {
            opts.setConfigFile(r.configFile());
        }
        for (Map.Entry<String, String> e : r.joinNamespaces().entrySet()) {
            opts.addJoinNs(join_namespace.newBuilder().setNs(e.getKey()).setNsFile(e.getValue()));
        }
        for (Map.Entry<String, Integer> e : r.inheritFds().entrySet()) {
            opts.addInheritFd(inherit_fd.newBuilder().setKey(e.getKey()).setFd(e.getValue()));
        }
        for (Map.Entry<String, String> e : r.extMounts().entrySet()) {
            opts.addExtMnt(ext_mount_map.newBuilder().setKey(e.getKey()).setVal(e.getValue()));
        }
        if (r.cgroupYard() != null) {
            opts.setCgroupYard(r.cgroupYard());
        }
        for (Map.Entry<String, String> e : r.cgroupRoots().entrySet()) {
            opts.addCgRoot(cgroup_root.newBuilder().setCtrl(e.getKey()).setPath(e.getValue()));
        }
        return criu_req.newBuilder().setType(criu_req_type.RESTORE).setOpts(opts).build().toByteArray();
    }

    /** Asks which of these features this CRIU and kernel have. */
    static byte[] featureCheck(boolean memTrack, boolean lazyPages) {
        criu_features.Builder f = criu_features.newBuilder();
        if (memTrack) {
            f.setMemTrack(true);
        }
        if (lazyPages) {
            f.setLazyPages(true);
        }
        return criu_req.newBuilder().setType(criu_req_type.FEATURE_CHECK).setFeatures(f).build().toByteArray();
    }

    /** runc's words for a mode it does not know; "" and null leave the choice to CRIU. */
    static criu_cg_mode cgroupMode(String mode) throws CriuException {
        switch (mode == null ? "" : mode) {
            case "": return criu_cg_mode.DEFAULT;
            case "soft": return criu_cg_mode.SOFT;
            case "full": return criu_cg_mode.FULL;
            case "strict": return criu_cg_mode.STRICT;
            case "ignore": return criu_cg_mode.IGNORE;
            default: throw new CriuException("invalid manage-cgroups-mode value");
        }
    }

    /**
     * runc never restores the network namespace's devices and configuration (it does not
     * manage them): it is always created empty; "network" is the only other namespace one may name.
     */
    static int emptyNs(List<String> names) throws CriuException {
        long mask = CLONE_NEWNET;
        for (String ns : names) {
            if (!"network".equals(ns)) {
                throw new CriuException("namespace \"" + ns + "\" is not supported");
            }
        }
        return (int) mask;
    }

    /** Checks the flags a request takes before anything is done, so a typo costs nothing. */
    public static void validate(CriuOptions o) throws CriuException {
        cgroupMode(o.manageCgroupsMode());
        emptyNs(o.emptyNs());
        if (o.pageServer() != null) {
            PageServer.parse(o.pageServer());
        }
    }

    /** --page-server ADDRESS:PORT. */
    record PageServer(String address, int port) {
        static PageServer parse(String value) throws CriuException {
            int colon = value.lastIndexOf(':');
            String address = colon < 0 ? "" : value.substring(0, colon);
            String port = colon < 0 ? "" : value.substring(colon + 1);
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            if (address.isEmpty() || port.isEmpty()) {
                throw new CriuException("Use --page-server ADDRESS:PORT to specify page server");
            }
            try {
                return new PageServer(address, Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new CriuException("Invalid port number");
            }
        }
    }
}
