/*
 * The protocol between the Java runtime and jrun-init.  GENERATED from dev.jrun.runtime.process.Wire
 * and dev.jrun.runtime.plan.{Op,Step,Resolve,ProcGuard} by PlanProtocolTest: do not edit; after a
 * change on the Java side run
 *   mvn test -pl runtime -am -Dtest=PlanProtocolTest -Djrun.updateGolden=true -Dsurefire.failIfNoSpecifiedTests=false
 * Framing and payloads are described in Wire's documentation.
 */
#ifndef JRUN_PROTOCOL_H
#define JRUN_PROTOCOL_H

/* Wire */
#define MSG_PLAN 1
#define MSG_ACK 2
#define MSG_SYNC 10
#define MSG_CHILD_PID 11
#define MSG_ERROR 12
#define MSG_CREATED 13
#define MSG_FD 14
#define MSG_HOOK_FAILED 15
#define MSG_WARNING 16
#define SYNC_CGROUP 1
#define SYNC_USERNS 2
#define SYNC_HOOKS 3
#define SYNC_SECCOMP 4
#define FD_SECCOMP_LISTENER 1

/* Resolve */
#define RES_IN_ROOT 0
#define RES_NO_SYMLINKS 1

/* ProcGuard */
#define PROC_NOT_ON_PROC 0
#define PROC_ALLOWED_ON_PROC 1
#define PROC_IF_SOURCE_IS_PROCFS 2

/* operations */
#define OP_SYNC 1
#define OP_REPORT_CREATED 2
#define OP_WAIT_START 3
#define OP_OPEN_MOUNT_SOURCES 4
#define OP_JOIN_NAMESPACES 5
#define OP_SETNS_FD 6
#define OP_UNSHARE 7
#define OP_FORK 8
#define OP_PROC_WRITE 9
#define OP_ROOT_PROPAGATION 10
#define OP_PREPARE_ROOTFS 11
#define OP_MOUNT_GUARD 12
#define OP_BIND 13
#define OP_MOUNT_FS 14
#define OP_SET_ATTR 15
#define OP_MKNOD 16
#define OP_BIND_DEVICE 17
#define OP_SYMLINK 18
#define OP_MASK 19
#define OP_READONLY 20
#define OP_ROOT_READONLY 21
#define OP_PIVOT_ROOT 22
#define OP_MOVE_ROOT 23
#define OP_CHROOT 24
#define OP_OPEN_ROOT 25
#define OP_CONSOLE 26
#define OP_CTTY 27
#define OP_RUN_HOOK 28
#define OP_SET_HOSTNAME 29
#define OP_SET_DOMAINNAME 30
#define OP_KEYRING 31
#define OP_SET_RLIMIT 32
#define OP_PERSONALITY 33
#define OP_SCHED 34
#define OP_IOPRIO 35
#define OP_AFFINITY 36
#define OP_MEMPOLICY 37
#define OP_SETSID 38
#define OP_NO_NEW_PRIVS 39
#define OP_SECCOMP 40
#define OP_CAP_BOUNDING 41
#define OP_SET_GROUPS 42
#define OP_SET_GID 43
#define OP_SET_UID 44
#define OP_CAPSET 45
#define OP_AMBIENT 46
#define OP_UMASK 47
#define OP_CLOSE_SETUP_FDS 48
#define OP_MKDIR 49
#define OP_CHDIR 50
#define OP_LOOKUP_EXEC 51
#define OP_DEFAULT_HOME 52
#define OP_EXEC 53
#define OP_MAPPING_USERNS 54
#define OP_ID_MAP_SOURCE 55
#define OP_LAST 55

/* each operation's arguments: 'i' integer, 's' string or bytes, 'v' list of strings */
static const char *const op_signature[OP_LAST + 1] = {
	[OP_SYNC] = "i",
	[OP_REPORT_CREATED] = "",
	[OP_WAIT_START] = "i",
	[OP_OPEN_MOUNT_SOURCES] = "vs",
	[OP_JOIN_NAMESPACES] = "vsv",
	[OP_SETNS_FD] = "ii",
	[OP_UNSHARE] = "i",
	[OP_FORK] = "",
	[OP_PROC_WRITE] = "ss",
	[OP_ROOT_PROPAGATION] = "i",
	[OP_PREPARE_ROOTFS] = "ssi",
	[OP_MOUNT_GUARD] = "sv",
	[OP_BIND] = "ssiiiiiiiiiiiii",
	[OP_MOUNT_FS] = "sssviiiiiii",
	[OP_SET_ATTR] = "siii",
	[OP_MKNOD] = "siiiii",
	[OP_BIND_DEVICE] = "ss",
	[OP_SYMLINK] = "ss",
	[OP_MASK] = "s",
	[OP_READONLY] = "s",
	[OP_ROOT_READONLY] = "",
	[OP_PIVOT_ROOT] = "",
	[OP_MOVE_ROOT] = "v",
	[OP_CHROOT] = "",
	[OP_OPEN_ROOT] = "",
	[OP_CONSOLE] = "iiiiii",
	[OP_CTTY] = "",
	[OP_RUN_HOOK] = "ssvviii",
	[OP_SET_HOSTNAME] = "s",
	[OP_SET_DOMAINNAME] = "s",
	[OP_KEYRING] = "s",
	[OP_SET_RLIMIT] = "iii",
	[OP_PERSONALITY] = "i",
	[OP_SCHED] = "iiiiiii",
	[OP_IOPRIO] = "i",
	[OP_AFFINITY] = "s",
	[OP_MEMPOLICY] = "is",
	[OP_SETSID] = "",
	[OP_NO_NEW_PRIVS] = "",
	[OP_SECCOMP] = "isi",
	[OP_CAP_BOUNDING] = "i",
	[OP_SET_GROUPS] = "s",
	[OP_SET_GID] = "i",
	[OP_SET_UID] = "i",
	[OP_CAPSET] = "iii",
	[OP_AMBIENT] = "i",
	[OP_UMASK] = "i",
	[OP_CLOSE_SETUP_FDS] = "",
	[OP_MKDIR] = "si",
	[OP_CHDIR] = "si",
	[OP_LOOKUP_EXEC] = "ss",
	[OP_DEFAULT_HOME] = "i",
	[OP_EXEC] = "vv",
	[OP_MAPPING_USERNS] = "sss",
	[OP_ID_MAP_SOURCE] = "siii",
};

/* argument positions, by name */
enum { SYNC_tag };
enum { WAIT_START_fifoFd };
enum { OPEN_MOUNT_SOURCES_sources, OPEN_MOUNT_SOURCES_recursive };
enum { JOIN_NAMESPACES_paths, JOIN_NAMESPACES_types, JOIN_NAMESPACES_names };
enum { SETNS_FD_pidfd, SETNS_FD_types };
enum { UNSHARE_flags };
enum { PROC_WRITE_path, PROC_WRITE_data };
enum { ROOT_PROPAGATION_flags };
enum { PREPARE_ROOTFS_rootfs, PREPARE_ROOTFS_parentMount, PREPARE_ROOTFS_bindOntoItself };
enum { MOUNT_GUARD_dir, MOUNT_GUARD_allowed };
enum { BIND_source, BIND_dest, BIND_recursive, BIND_set, BIND_clear, BIND_recursiveSet, BIND_recursiveClear, BIND_propagation, BIND_propagationRecursive, BIND_resolve, BIND_procPolicy, BIND_explicitClear, BIND_atimeRequested, BIND_sourceSlot, BIND_idMapped };
enum { MOUNT_FS_fstype, MOUNT_FS_source, MOUNT_FS_dest, MOUNT_FS_params, MOUNT_FS_set, MOUNT_FS_clear, MOUNT_FS_propagation, MOUNT_FS_resolve, MOUNT_FS_procPolicy, MOUNT_FS_modeFromTarget, MOUNT_FS_copyUp };
enum { SET_ATTR_dest, SET_ATTR_set, SET_ATTR_clear, SET_ATTR_recursive };
enum { MKNOD_path, MKNOD_mode, MKNOD_major, MKNOD_minor, MKNOD_uid, MKNOD_gid };
enum { BIND_DEVICE_hostPath, BIND_DEVICE_dest };
enum { SYMLINK_target, SYMLINK_path };
enum { MASK_path };
enum { READONLY_path };
enum { MOVE_ROOT_hideMounts };
enum { CONSOLE_socketFd, CONSOLE_rows, CONSOLE_cols, CONSOLE_uid, CONSOLE_gid, CONSOLE_bindDevConsole };
enum { RUN_HOOK_name, RUN_HOOK_path, RUN_HOOK_args, RUN_HOOK_env, RUN_HOOK_timeoutSeconds, RUN_HOOK_inRootfs, RUN_HOOK_addHome };
enum { SET_HOSTNAME_name };
enum { SET_DOMAINNAME_name };
enum { KEYRING_name };
enum { SET_RLIMIT_resource, SET_RLIMIT_soft, SET_RLIMIT_hard };
enum { PERSONALITY_persona };
enum { SCHED_policy, SCHED_flags, SCHED_nice, SCHED_priority, SCHED_runtime, SCHED_deadline, SCHED_period };
enum { IOPRIO_value };
enum { AFFINITY_mask };
enum { MEMPOLICY_modeAndFlags, MEMPOLICY_nodes };
enum { SECCOMP_flags, SECCOMP_program, SECCOMP_sendListener };
enum { CAP_BOUNDING_keep };
enum { SET_GROUPS_gids };
enum { SET_GID_gid };
enum { SET_UID_uid };
enum { CAPSET_effective, CAPSET_permitted, CAPSET_inheritable };
enum { AMBIENT_raise };
enum { UMASK_mask };
enum { MKDIR_path, MKDIR_mode };
enum { CHDIR_path, CHDIR_deferIfDenied };
enum { LOOKUP_EXEC_name, LOOKUP_EXEC_path };
enum { DEFAULT_HOME_uid };
enum { EXEC_argv, EXEC_env };
enum { MAPPING_USERNS_uidMap, MAPPING_USERNS_gidMap, MAPPING_USERNS_path };
enum { ID_MAP_SOURCE_source, ID_MAP_SOURCE_recursive, ID_MAP_SOURCE_userns, ID_MAP_SOURCE_recursiveIdMap };

#endif
