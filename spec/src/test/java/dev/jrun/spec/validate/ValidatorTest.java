package dev.jrun.spec.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.spec.Golden;
import dev.jrun.spec.JsonTree;
import dev.jrun.spec.Problem;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxInterfacePriority;
import dev.jrun.spec.model.LinuxNetwork;
import dev.jrun.spec.model.LinuxRdma;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per rule: a valid config (runc's default) with one JSON merge patch applied, and the
 * exact messages expected. In the tables, ' stands for " to keep the JSON readable.
 */
class ValidatorTest {
    @TempDir
    Path bundle;

    @BeforeEach
    void createRootfs() throws IOException {
        Files.createDirectory(bundle.resolve("rootfs"));
    }

    private Report validate(String patch) throws Exception {
        Object tree = JsonTree.merge(JsonTree.parse(Golden.text("runc-spec.json")), JsonTree.parse(json(patch)));
        Spec spec = SpecReader.readConfig(JsonTree.bytes(tree), "config.json");
        return Validator.validate(spec, bundle);
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static List<String> render(List<Problem> problems) {
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            out.add(p.toString());
        }
        return out;
    }

    private void assertErrors(String patch, String... expected) throws Exception {
        Report r = validate(patch);
        List<String> want = new ArrayList<>();
        for (String e : expected) {
            want.add(json(e));
        }
        assertEquals(want, render(r.errors()), "errors");
    }

    private void assertOnlyWarnings(String patch, String... expected) throws Exception {
        Report r = validate(patch);
        assertEquals(List.of(), render(r.errors()), "errors");
        List<String> want = new ArrayList<>();
        for (String e : expected) {
            want.add(json(e));
        }
        assertEquals(want, render(r.warnings()), "warnings");
    }

    @Test
    void runcsDefaultIsValid() throws Exception {
        Report r = validate("{}");
        assertEquals(List.of(), r.errors());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        assertErrors("{'process': {'cwd': 'x', 'args': []}, 'hooks': {'poststop': [{'path': 'rel'}]},"
                        + " 'linux': {'namespaces': [{'type': 'pid'}, {'type': 'pid'}, {'type': 'mount'}, {'type': 'uts'}]}}",
                "config.json: process.cwd: must be an absolute path",
                "config.json: process.args: must not be empty",
                "config.json: hooks.poststop[0].path: must be an absolute path",
                "config.json: linux.namespaces[1].type: duplicate namespace 'pid'");
        assertEquals("config.json: process.cwd: must be an absolute path\nconfig.json: process.args: must not be empty",
                validate("{'process': {'cwd': 'x', 'args': []}}").errorText());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // root
                rule("{'root': null}", "config.json: root: must be set"),
                rule("{'root': {'path': ''}}", "config.json: root.path: must be set"),
                rule("{'root': {'path': '/'}}", "config.json: root.path: must not resolve to the host root directory"),
                // process
                rule("{'process': null}", "config.json: process: must be set"),
                rule("{'process': {'cwd': ''}}", "config.json: process.cwd: must be set"),
                rule("{'process': {'cwd': 'tmp'}}", "config.json: process.cwd: must be an absolute path"),
                rule("{'process': {'args': []}}", "config.json: process.args: must not be empty"),
                rule("{'process': {'args': null}}", "config.json: process.args: must not be empty"),
                rule("{'process': {'args': ['sh', 'a\\u0000b']}}", "config.json: process.args[1]: must not contain a NUL byte"),
                rule("{'process': {'env': ['A=1', 'B']}}", "config.json: process.env[1]: must have the form NAME=VALUE"),
                rule("{'process': {'env': ['=1']}}", "config.json: process.env[0]: the variable name must not be empty"),
                rule("{'process': {'env': ['A=\\u0000']}}", "config.json: process.env[0]: must not contain a NUL byte"),
                rule("{'process': {'user': {'uid': 4294967295}}}", "config.json: process.user.uid: must be between 0 and 4294967294"),
                rule("{'process': {'user': {'gid': 4294967295}}}", "config.json: process.user.gid: must be between 0 and 4294967294"),
                rule("{'process': {'user': {'additionalGids': [1, 4294967295]}}}",
                        "config.json: process.user.additionalGids[1]: must be between 0 and 4294967294"),
                rule("{'process': {'user': {'umask': 512}}}", "config.json: process.user.umask: must be between 0 and 0777 (511)"),
                rule("{'process': {'rlimits': [{'type': 'RLIMIT_FOO', 'hard': 1, 'soft': 1}]}}",
                        "config.json: process.rlimits[0].type: unknown rlimit 'RLIMIT_FOO'"),
                rule("{'process': {'rlimits': [{'hard': 1, 'soft': 1}]}}", "config.json: process.rlimits[0].type: must be set"),
                rule("{'process': {'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 1, 'soft': 1},"
                                + " {'type': 'RLIMIT_NOFILE', 'hard': 2, 'soft': 2}]}}",
                        "config.json: process.rlimits[1].type: duplicate rlimit 'RLIMIT_NOFILE'"),
                rule("{'process': {'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 1024, 'soft': 18446744073709551615}]}}",
                        "config.json: process.rlimits[0].soft: 18446744073709551615 exceeds the hard limit 1024"),
                rule("{'process': {'oomScoreAdj': 1001}}", "config.json: process.oomScoreAdj: must be between -1000 and 1000"),
                rule("{'process': {'oomScoreAdj': -1001}}", "config.json: process.oomScoreAdj: must be between -1000 and 1000"),
                rule("{'process': {'scheduler': {'nice': 1}}}", "config.json: process.scheduler.policy: must be set"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_FOO'}}}",
                        "config.json: process.scheduler.policy: unknown policy 'SCHED_FOO'"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_OTHER', 'nice': 20}}}",
                        "config.json: process.scheduler.nice: must be between -20 and 19"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_FIFO', 'priority': 100}}}",
                        "config.json: process.scheduler.priority: must be between 1 and 99 for SCHED_FIFO"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_RR'}}}",
                        "config.json: process.scheduler.priority: must be between 1 and 99 for SCHED_RR"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_BATCH', 'priority': 5}}}",
                        "config.json: process.scheduler.priority: only SCHED_FIFO and SCHED_RR take a priority"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_OTHER', 'deadline': 5}}}",
                        "config.json: process.scheduler.deadline: only SCHED_DEADLINE takes runtime, deadline and period"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_DEADLINE', 'runtime': 10, 'deadline': 5, 'period': 20}}}",
                        "config.json: process.scheduler.runtime: must not exceed deadline"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_DEADLINE', 'runtime': 10, 'deadline': 50, 'period': 20}}}",
                        "config.json: process.scheduler.deadline: must not exceed period"),
                rule("{'process': {'scheduler': {'policy': 'SCHED_IDLE', 'flags': ['SCHED_FLAG_RECLAIM', 'SCHED_FLAG_X']}}}",
                        "config.json: process.scheduler.flags[1]: unknown flag 'SCHED_FLAG_X'"),
                rule("{'process': {'ioPriority': {'class': 'IOPRIO_CLASS_X', 'priority': 1}}}",
                        "config.json: process.ioPriority.class: unknown class 'IOPRIO_CLASS_X'"
                                + " (expected IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)"),
                rule("{'process': {'ioPriority': {'priority': 1}}}", "config.json: process.ioPriority.class: must be set"),
                rule("{'process': {'ioPriority': {'class': 'IOPRIO_CLASS_BE', 'priority': 8}}}",
                        "config.json: process.ioPriority.priority: must be between 0 and 7"),
                rule("{'process': {'execCPUAffinity': {'initial': '3-1', 'final': 'x'}}}",
                        "config.json: process.execCPUAffinity.initial: invalid range '3-1' in '3-1'",
                        "config.json: process.execCPUAffinity.final: invalid number 'x' in 'x'"),
                rule("{'process': {'execCPUAffinity': {'final': '0,1024'}}}",
                        "config.json: process.execCPUAffinity.final: CPU 1024 is beyond 1023"),
                // mounts
                rule("{'mounts': [{'type': 'tmpfs', 'source': 'tmpfs'}]}", "config.json: mounts[0].destination: must be set"),
                rule("{'mounts': [{'destination': '/a', 'source': 'x\\u0000'}]}",
                        "config.json: mounts[0].source: must not contain a NUL byte"),
                rule("{'mounts': [{'destination': '/a', 'source': '/x', 'options': ['bind', 'idmap'],"
                                + " 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}]}]}",
                        "config.json: mounts[0].gidMappings: id-mapped mounts must have both uid and gid mappings specified"),
                rule("{'mounts': [{'destination': '/a', 'type': 'tmpfs', 'options': ['idmap'],"
                                + " 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}]}]}",
                        "config.json: mounts[0].options: id-mapped mounts are only supported for bind-mounts (add 'bind' or 'rbind')"),
                rule("{'mounts': [{'destination': '/a', 'source': '/x', 'options': ['rbind', 'ridmap']}]}",
                        "config.json: mounts[0].options: id-mapped mounts must have both uid and gid mappings specified"
                                + " (without them, 'idmap' and 'ridmap' take the mappings of the container user namespace, and it has none)"),
                rule("{'mounts': [{'destination': '/a', 'source': '/x', 'options': ['bind', 'idmap'],"
                                + " 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 0}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]}]}",
                        "config.json: mounts[0].uidMappings[0].size: must be greater than 0"),
                rule("{'mounts': [{'destination': '/a', 'source': '/x', 'options': ['rbind', 'ridmap'],"
                                + " 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10},"
                                + " {'containerID': 5, 'hostID': 5000, 'size': 10}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10},"
                                + " {'containerID': 100, 'hostID': 1005, 'size': 1}]}]}",
                        "config.json: mounts[0].uidMappings[1]: container ids overlap mounts[0].uidMappings[0]",
                        "config.json: mounts[0].gidMappings[1]: host ids overlap mounts[0].gidMappings[0]"),
                rule("{'mounts': [{'destination': '/a', 'source': '/x', 'options': ['bind', 'idmap'],"
                                + " 'uidMappings': [{'containerID': 4294967295, 'hostID': 1000, 'size': 2}],"
                                + " 'gidMappings': []}]}",
                        "config.json: mounts[0].uidMappings[0]: the range goes past the largest id 4294967295",
                        "config.json: mounts[0].gidMappings: must not be empty"),
                rule("{'mounts': [{'destination': '/a', 'type': 'proc', 'source': 'proc', 'options': ['ridmap']}],"
                                + " 'linux': {'namespaces': [{'type': 'pid'}, {'type': 'network'}, {'type': 'ipc'},"
                                + " {'type': 'uts'}, {'type': 'mount'}, {'type': 'user'}],"
                                + " 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}]}}",
                        "config.json: mounts[0].options: id-mapped mounts are only supported for bind-mounts"
                                + " (add 'bind' or 'rbind')"),
                // hooks
                rule("{'hooks': {'prestart': [{'path': 'bin/hook'}]}}", "config.json: hooks.prestart[0].path: must be an absolute path"),
                rule("{'hooks': {'createRuntime': [{'args': ['x']}]}}", "config.json: hooks.createRuntime[0].path: must be set"),
                rule("{'hooks': {'poststart': [{'path': '/a'}, {'path': '/b', 'timeout': 0}]}}",
                        "config.json: hooks.poststart[1].timeout: must be greater than 0"),
                // annotations
                rule("{'annotations': {'': 'x'}}", "config.json: annotations['']: keys must not be empty"),
                // namespaces
                rule("{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'mount'}, {'type': 'pid'}, {'type': 'uts'}]}}",
                        "config.json: linux.namespaces[2].type: duplicate namespace 'pid'"),
                rule("{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'mount'}, {'type': 'uts'}, {'type': 'foo'}]}}",
                        "config.json: linux.namespaces[3].type: unknown namespace type 'foo'"),
                rule("{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'mount'}, {'type': 'uts'}, {'path': '/x'}]}}",
                        "config.json: linux.namespaces[3].type: must be set"),
                rule("{'linux': {'namespaces': [{'type': 'pid', 'path': 'proc/1/ns/pid'}, {'type': 'mount'}, {'type': 'uts'}]}}",
                        "config.json: linux.namespaces[0].path: must be an absolute path"),
                rule("{'linux': {'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]}}",
                        "config.json: linux.uidMappings: needs a user namespace in linux.namespaces",
                        "config.json: linux.gidMappings: needs a user namespace in linux.namespaces"),
                rule(withNamespaces("{'type': 'user'}", ""),
                        "config.json: linux.uidMappings: must be set for a new user namespace",
                        "config.json: linux.gidMappings: must be set for a new user namespace"),
                rule(withNamespaces("{'type': 'user'}", ", 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 0}]"),
                        "config.json: linux.gidMappings[0].size: must be greater than 0"),
                rule(withNamespaces("{'type': 'user'}", ", 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10},"
                                + " {'containerID': 5, 'hostID': 5000, 'size': 10}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10},"
                                + " {'containerID': 100, 'hostID': 1009, 'size': 1}]"),
                        "config.json: linux.uidMappings[1]: container ids overlap linux.uidMappings[0]",
                        "config.json: linux.gidMappings[1]: host ids overlap linux.gidMappings[0]"),
                rule(withNamespaces("{'type': 'user'}", ", 'uidMappings': [{'containerID': 4294967295, 'hostID': 1000, 'size': 2}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]"),
                        "config.json: linux.uidMappings[0]: the range goes past the largest id 4294967295"),
                rule("{'linux': {'timeOffsets': {'monotonic': {'secs': 1}}}}",
                        "config.json: linux.timeOffsets: needs a time namespace in linux.namespaces"),
                rule(withNamespaces("{'type': 'time', 'path': '/proc/1/ns/time'}", ", 'timeOffsets': {'boottime': {'secs': 1}}"),
                        "config.json: linux.timeOffsets: cannot be set when joining an existing time namespace"),
                rule(withNamespaces("{'type': 'time'}", ", 'timeOffsets': {'realtime': {'secs': 1}}"),
                        "config.json: linux.timeOffsets['realtime']: unknown clock (only monotonic and boottime can be offset)"),
                rule(withNamespaces("{'type': 'time'}", ", 'timeOffsets': {'monotonic': {'nanosecs': 1000000000}}"),
                        "config.json: linux.timeOffsets['monotonic'].nanosecs: must be less than 1000000000"),
                rule("{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'mount'}]}}",
                        "config.json: hostname: needs a UTS namespace in linux.namespaces"),
                rule("{'domainname': 'example.org', 'linux': {'namespaces': [{'type': 'pid'}, {'type': 'mount'}]}}",
                        "config.json: hostname: needs a UTS namespace in linux.namespaces",
                        "config.json: domainname: needs a UTS namespace in linux.namespaces"),
                rule("{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'uts'}]}}",
                        "config.json: linux.maskedPaths: needs a mount namespace in linux.namespaces",
                        "config.json: root.readonly: needs a mount namespace in linux.namespaces",
                        "config.json: linux.readonlyPaths: needs a mount namespace in linux.namespaces"),
                rule("{'root': {'path': 'rootfs', 'readonly': true}, 'linux': {'namespaces': [{'type': 'uts'}],"
                                + " 'maskedPaths': [], 'readonlyPaths': []}}",
                        "config.json: root.readonly: needs a mount namespace in linux.namespaces"),
                rule("{'linux': {'namespaces': [{'type': 'mount'}, {'type': 'uts'}], 'netDevices': {'eth0': {}}}}",
                        "config.json: linux.netDevices: needs a network namespace in linux.namespaces"),
                // sysctl
                rule("{'linux': {'sysctl': {'kernel.shmmax': '1', 'fs.mqueue.msg_max': '5', 'net.core.somaxconn': '1'},"
                                + " 'namespaces': [{'type': 'mount'}, {'type': 'uts'}]}}",
                        "config.json: linux.sysctl['kernel.shmmax']: needs an IPC namespace in linux.namespaces",
                        "config.json: linux.sysctl['fs.mqueue.msg_max']: needs an IPC namespace in linux.namespaces",
                        "config.json: linux.sysctl['net.core.somaxconn']: not allowed in the host network namespace"),
                rule("{'linux': {'namespaces': [{'type': 'mount'}, {'type': 'uts'}, {'type': 'network', 'path': '/proc/self/ns/net'}],"
                                + " 'sysctl': {'net/ipv4/ip_forward': '1'}}}",
                        "config.json: linux.sysctl['net/ipv4/ip_forward']: not allowed in the host network namespace"),
                rule("{'linux': {'sysctl': {'kernel.hostname': 'x', 'kernel.domainname': 'y'}}}",
                        "config.json: linux.sysctl['kernel.hostname']: not allowed: use the hostname field instead"),
                rule("{'linux': {'sysctl': {'user.max_user_namespaces': '0'}}}",
                        "config.json: linux.sysctl['user.max_user_namespaces']: needs a user namespace in linux.namespaces"),
                rule("{'linux': {'sysctl': {'vm.swappiness': '10'}}}",
                        "config.json: linux.sysctl['vm.swappiness']: not in a namespace the container owns:"
                                + " setting it would change the host"),
                // devices
                rule("{'linux': {'devices': [{'path': 'dev/x', 'type': 'c', 'major': 1, 'minor': 3}]}}",
                        "config.json: linux.devices[0].path: must be an absolute path"),
                rule("{'linux': {'devices': [{'path': '/dev/x', 'type': 'x', 'major': 1, 'minor': 3}]}}",
                        "config.json: linux.devices[0].type: must be c, b, u or p, not 'x'"),
                rule("{'linux': {'devices': [{'path': '/dev/x', 'major': 1, 'minor': 3}]}}",
                        "config.json: linux.devices[0].type: must be set"),
                rule("{'linux': {'devices': [{'path': '/dev/x', 'type': 'c', 'minor': 3}, {'path': '/dev/y', 'type': 'b', 'major': 8}]}}",
                        "config.json: linux.devices[0].major: must be set for a device of type 'c'",
                        "config.json: linux.devices[1].minor: must be set for a device of type 'b'"),
                rule("{'linux': {'devices': [{'path': '/dev/x', 'type': 'u', 'major': 4096, 'minor': -1}]}}",
                        "config.json: linux.devices[0].major: must be between 0 and 4095",
                        "config.json: linux.devices[0].minor: must be between 0 and 1048575"),
                rule("{'linux': {'devices': [{'path': '/dev/x', 'type': 'p'}, {'path': '/dev/x', 'type': 'p'}]}}",
                        "config.json: linux.devices[1].path: duplicate device '/dev/x'"),
                // resources
                rule("{'linux': {'resources': {'devices': [{'allow': true, 'type': 'x', 'access': 'rwm'}]}}}",
                        "config.json: linux.resources.devices[0].type: must be a, b or c, not 'x'"),
                rule("{'linux': {'resources': {'devices': [{'allow': false}]}}}",
                        "config.json: linux.resources.devices[0].access: must be set (letters from 'rwm')"),
                rule("{'linux': {'resources': {'devices': [{'allow': false, 'access': 'rwx', 'major': -2}]}}}",
                        "config.json: linux.resources.devices[0].access: must contain only the letters r, w and m"
                                + " (and a, which adds nothing)",
                        "config.json: linux.resources.devices[0].major: must be -1 (any) or at least 0"),
                rule("{'linux': {'resources': {'memory': {'limit': -2}}}}",
                        "config.json: linux.resources.memory.limit: must be -1 (unlimited) or at least 0"),
                rule("{'linux': {'resources': {'memory': {'swappiness': 101}}}}",
                        "config.json: linux.resources.memory.swappiness: must be between 0 and 100"),
                rule("{'linux': {'resources': {'memory': {'limit': 2000, 'swap': 1000}}}}",
                        "config.json: linux.resources.memory.swap: must not be below memory.limit: swap counts memory plus swap"),
                rule("{'linux': {'resources': {'memory': {'swap': 1000}}}}",
                        "config.json: linux.resources.memory.swap: needs memory.limit to be set too"),
                rule("{'linux': {'resources': {'cpu': {'shares': 1}}}}",
                        "config.json: linux.resources.cpu.shares: must be between 2 and 262144"),
                rule("{'linux': {'resources': {'cpu': {'shares': 262145}}}}",
                        "config.json: linux.resources.cpu.shares: must be between 2 and 262144"),
                rule("{'linux': {'resources': {'cpu': {'quota': 999}}}}",
                        "config.json: linux.resources.cpu.quota: must be -1 (unlimited) or at least 1000"),
                rule("{'linux': {'resources': {'cpu': {'period': 1000001}}}}",
                        "config.json: linux.resources.cpu.period: must be between 1000 and 1000000"),
                rule("{'linux': {'resources': {'cpu': {'quota': 50000, 'burst': 50001}}}}",
                        "config.json: linux.resources.cpu.burst: must not exceed cpu.quota"),
                rule("{'linux': {'resources': {'cpu': {'realtimeRuntime': -2}}}}",
                        "config.json: linux.resources.cpu.realtimeRuntime: must be -1 (unlimited) or at least 0"),
                rule("{'linux': {'resources': {'cpu': {'cpus': '0-', 'mems': '1,,a'}}}}",
                        "config.json: linux.resources.cpu.cpus: invalid number '' in '0-'",
                        "config.json: linux.resources.cpu.mems: invalid number 'a' in '1,,a'"),
                rule("{'linux': {'resources': {'cpu': {'idle': 2}}}}", "config.json: linux.resources.cpu.idle: must be 0 or 1"),
                rule("{'linux': {'resources': {'pids': {'limit': -2}}}}",
                        "config.json: linux.resources.pids.limit: must be -1 (unlimited) or at least 0"),
                rule("{'linux': {'resources': {'blockIO': {'weight': 5, 'leafWeight': 1001}}}}",
                        "config.json: linux.resources.blockIO.weight: must be between 10 and 1000",
                        "config.json: linux.resources.blockIO.leafWeight: must be between 10 and 1000"),
                rule("{'linux': {'resources': {'blockIO': {'weightDevice': [{'major': 8, 'minor': -1}]}}}}",
                        "config.json: linux.resources.blockIO.weightDevice[0].minor: must not be negative",
                        "config.json: linux.resources.blockIO.weightDevice[0]: must set weight, leafWeight or both"),
                rule("{'linux': {'resources': {'blockIO': {'throttleWriteIOPSDevice': [{'major': -8, 'minor': 0, 'rate': 1}]}}}}",
                        "config.json: linux.resources.blockIO.throttleWriteIOPSDevice[0].major: must not be negative"),
                rule("{'linux': {'resources': {'hugepageLimits': [{'pageSize': '2M', 'limit': 1}, {'limit': 1}]}}}",
                        "config.json: linux.resources.hugepageLimits[0].pageSize: '2M' is not a page size such as 64KB, 2MB or 1GB",
                        "config.json: linux.resources.hugepageLimits[1].pageSize: must be set"),
                rule("{'linux': {'resources': {'network': {'priorities': [{'priority': 1}]}}}}",
                        "config.json: linux.resources.network.priorities[0].name: must be set"),
                rule("{'linux': {'resources': {'rdma': {'mlx5_1': {}}}}}",
                        "config.json: linux.resources.rdma['mlx5_1']: must set hcaHandles, hcaObjects or both"),
                rule("{'linux': {'resources': {'unified': {'../memory.max': '1', 'cpu.weight': '0'}}}}",
                        "config.json: linux.resources.unified['../memory.max']: not a cgroup v2 file name (expected <controller>.<name>)",
                        "config.json: linux.resources.unified['cpu.weight']: must be between 1 and 10000"),
                // resources: the value checks the cgroup drivers used to make themselves
                rule("{'linux': {'resources': {'devices': [{'allow': false, 'access': 'rwm'},"
                                + " {'allow': true, 'type': 'c', 'major': 1, 'minor': 3, 'access': ''}]}}}",
                        "config.json: linux.resources.devices[1].access: must be set (letters from 'rwm')"),
                rule("{'linux': {'resources': {'devices': [{'allow': true, 'type': 'p', 'major': -3, 'minor': 4294967296,"
                                + " 'access': 'rw'}]}}}",
                        "config.json: linux.resources.devices[0].type: must be a, b or c, not 'p'",
                        "config.json: linux.resources.devices[0].major: must be -1 (any) or at least 0",
                        "config.json: linux.resources.devices[0].minor: must be at most 4294967295"),
                rule("{'linux': {'resources': {'memory': {'reservation': -5}}}}",
                        "config.json: linux.resources.memory.reservation: must be -1 (unlimited) or at least 0"),
                rule("{'linux': {'resources': {'memory': {'limit': 200, 'swap': 100}}}}",
                        "config.json: linux.resources.memory.swap: must not be below memory.limit: swap counts memory plus swap"),
                rule("{'linux': {'resources': {'memory': {'swappiness': 18446744073709551614}}}}",
                        "config.json: linux.resources.memory.swappiness: must be between 0 and 100"),
                rule("{'linux': {'resources': {'cpu': {'quota': -2}}}}",
                        "config.json: linux.resources.cpu.quota: must be -1 (unlimited) or at least 1000"),
                rule("{'linux': {'resources': {'cpu': {'burst': 18446744073709551615, 'realtimePeriod': 9223372036854775808}}}}",
                        "config.json: linux.resources.cpu.burst: 18446744073709551615 is out of range (at most 9223372036854775807)",
                        "config.json: linux.resources.cpu.realtimePeriod: 9223372036854775808 is out of range"
                                + " (at most 9223372036854775807)"),
                rule("{'linux': {'resources': {'cpu': {'realtimeRuntime': 2000, 'realtimePeriod': 1000}}}}",
                        "config.json: linux.resources.cpu.realtimeRuntime: must not exceed cpu.realtimePeriod"),
                rule("{'linux': {'resources': {'blockIO': {'weight': 1001, 'weightDevice': [{'major': 8, 'minor': 0},"
                                + " {'major': 4294967296, 'minor': 0, 'weight': 500}]}}}}",
                        "config.json: linux.resources.blockIO.weight: must be between 10 and 1000",
                        "config.json: linux.resources.blockIO.weightDevice[0]: must set weight, leafWeight or both",
                        "config.json: linux.resources.blockIO.weightDevice[1].major: must be at most 4294967295"),
                rule("{'linux': {'resources': {'blockIO': {'throttleReadBpsDevice': [{'major': 8, 'minor': 0},"
                                + " {'minor': 0, 'rate': 5}]}}}}",
                        "config.json: linux.resources.blockIO.throttleReadBpsDevice[0].rate: must be set",
                        "config.json: linux.resources.blockIO.throttleReadBpsDevice[1].major: must be set"),
                rule("{'linux': {'resources': {'hugepageLimits': [{'pageSize': '../../x', 'limit': 1},"
                                + " {'pageSize': '2mb', 'limit': 1}, {'pageSize': '2MB/../../x', 'limit': 1},"
                                + " {'pageSize': '1TB', 'limit': 1}, {'pageSize': '2MB'}]}}}",
                        "config.json: linux.resources.hugepageLimits[0].pageSize: '../../x' is not a page size such as"
                                + " 64KB, 2MB or 1GB",
                        "config.json: linux.resources.hugepageLimits[1].pageSize: '2mb' is not a page size such as"
                                + " 64KB, 2MB or 1GB",
                        "config.json: linux.resources.hugepageLimits[2].pageSize: '2MB/../../x' is not a page size such as"
                                + " 64KB, 2MB or 1GB",
                        "config.json: linux.resources.hugepageLimits[3].pageSize: '1TB' is not a page size such as"
                                + " 64KB, 2MB or 1GB",
                        "config.json: linux.resources.hugepageLimits[4].limit: must be set"),
                rule("{'linux': {'resources': {'network': {'priorities': [{'name': 'eth 0', 'priority': 1},"
                                + " {'name': 'eth1'}]}}}}",
                        "config.json: linux.resources.network.priorities[0].name: 'eth 0' is not an interface name"
                                + " (no spaces or control characters)",
                        "config.json: linux.resources.network.priorities[1].priority: must be set"),
                rule("{'linux': {'resources': {'rdma': {'mlx=1': {'hcaHandles': 1}}}}}",
                        "config.json: linux.resources.rdma['mlx=1']: 'mlx=1' is not an RDMA device name"
                                + " (no spaces, control characters or '=')"),
                rule("{'linux': {'resources': {'unified': {'sub/memory.max': '1', '..': '1', 'memory': '1',"
                                + " 'memory.max\\u0000': '1'}}}}",
                        "config.json: linux.resources.unified['sub/memory.max']: not a cgroup v2 file name"
                                + " (expected <controller>.<name>)",
                        "config.json: linux.resources.unified['..']: not a cgroup v2 file name (expected <controller>.<name>)",
                        "config.json: linux.resources.unified['memory']: not a cgroup v2 file name (expected <controller>.<name>)",
                        "config.json: linux.resources.unified['memory.max\u0000']: not a cgroup v2 file name"
                                + " (expected <controller>.<name>)"),
                // seccomp
                rule("{'linux': {'seccomp': {'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW'}]}}}",
                        "config.json: linux.seccomp.defaultAction: must be set"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_KILL_ALL'}}}",
                        "config.json: linux.seccomp.defaultAction: unknown action 'SCMP_ACT_KILL_ALL'"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_NOTIFY', 'listenerPath': '/run/a.sock'}}}",
                        "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'defaultErrnoRet': 1}}}",
                        "config.json: linux.seccomp.defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_VAX']}}}",
                        "config.json: linux.seccomp.architectures[1]: unknown architecture 'SCMP_ARCH_VAX'"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_NEW_LISTENER']}}}",
                        "config.json: linux.seccomp.flags[0]: unknown flag 'SECCOMP_FILTER_FLAG_NEW_LISTENER'"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'action': 'SCMP_ACT_ERRNO'},"
                                + " {'names': ['read', ''], 'action': 'SCMP_ACT_ERRNO'}]}}}",
                        "config.json: linux.seccomp.syscalls[0].names: must contain at least one syscall name",
                        "config.json: linux.seccomp.syscalls[1].names[1]: must not be empty"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read']},"
                                + " {'names': ['read'], 'action': 'SCMP_ACT_DENY'}]}}}",
                        "config.json: linux.seccomp.syscalls[0].action: must be set",
                        "config.json: linux.seccomp.syscalls[1].action: unknown action 'SCMP_ACT_DENY'"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'],"
                                + " 'action': 'SCMP_ACT_LOG', 'errnoRet': 1}]}}}",
                        "config.json: linux.seccomp.syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['kill'],"
                                + " 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ'},"
                                + " {'index': 0, 'value': 1, 'op': 'SCMP_CMP_LIKE'}, {'index': 1, 'value': 1}]}]}}}",
                        "config.json: linux.seccomp.syscalls[0].args[0].index: must be between 0 and 5",
                        "config.json: linux.seccomp.syscalls[0].args[1].op: unknown operator 'SCMP_CMP_LIKE'",
                        "config.json: linux.seccomp.syscalls[0].args[2].op: must be set"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mount'],"
                                + " 'action': 'SCMP_ACT_NOTIFY'}]}}}",
                        "config.json: linux.seccomp.listenerPath: must be set when SCMP_ACT_NOTIFY is used"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '/run/a.sock',"
                                + " 'syscalls': [{'names': ['mount', 'write'], 'action': 'SCMP_ACT_NOTIFY'}]}}}",
                        "config.json: linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for the write syscall"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerMetadata': 'x'}}}",
                        "config.json: linux.seccomp.listenerMetadata: must not be set without listenerPath"),
                // other linux fields
                rule("{'linux': {'rootfsPropagation': 'recursive'}}",
                        "config.json: linux.rootfsPropagation: unknown propagation 'recursive'"
                                + " (expected shared, slave, private or unbindable, optionally with an 'r' prefix)"),
                rule("{'linux': {'maskedPaths': ['/proc/kcore', 'proc/keys'], 'readonlyPaths': ['sys']}}",
                        "config.json: linux.maskedPaths[1]: must be an absolute path",
                        "config.json: linux.readonlyPaths[0]: must be an absolute path"),
                rule("{'linux': {'personality': {'domain': 'LINUX64'}}}",
                        "config.json: linux.personality.domain: unknown domain 'LINUX64' (expected LINUX or LINUX32)"),
                rule("{'linux': {'personality': {}}}", "config.json: linux.personality.domain: must be set"),
                rule("{'linux': {'memoryPolicy': {'mode': 'MPOL_FOO', 'flags': ['MPOL_F_BAR']}}}",
                        "config.json: linux.memoryPolicy.mode: unknown mode 'MPOL_FOO'",
                        "config.json: linux.memoryPolicy.flags[0]: unknown flag 'MPOL_F_BAR'"),
                rule("{'linux': {'memoryPolicy': {'nodes': '0'}}}", "config.json: linux.memoryPolicy.mode: must be set"),
                rule("{'linux': {'memoryPolicy': {'mode': 'MPOL_BIND', 'nodes': '1-0'}}}",
                        "config.json: linux.memoryPolicy.nodes: invalid range '1-0' in '1-0'"),
                rule("{'linux': {'memoryPolicy': {'mode': 'MPOL_LOCAL', 'nodes': '0-1'}}}",
                        "config.json: linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes"),
                rule("{'linux': {'memoryPolicy': {'mode': 'MPOL_INTERLEAVE'}}}",
                        "config.json: linux.memoryPolicy.nodes: MPOL_INTERLEAVE needs at least one node"),
                rule("{'linux': {'memoryPolicy': {'mode': 'MPOL_PREFERRED', 'flags': ['MPOL_F_STATIC_NODES', 'MPOL_F_RELATIVE_NODES']}}}",
                        "config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other"),
                rule("{'linux': {'intelRdt': {'closID': '..'}}}",
                        "config.json: linux.intelRdt.closID: invalid class of service '..'"),
                rule("{'linux': {'intelRdt': {'closID': 'a/b', 'memBwSchema': 'L3:0=1\\nMB:0=2', 'schemata': ['MB:0=20', 'L3:0=f\\n']}}}",
                        "config.json: linux.intelRdt.closID: invalid class of service 'a/b'",
                        "config.json: linux.intelRdt.memBwSchema: must start with 'MB:'",
                        "config.json: linux.intelRdt.memBwSchema: must not contain a newline",
                        "config.json: linux.intelRdt.schemata[1]: must not contain a newline"),
                rule("{'linux': {'netDevices': {'eth0': {'name': 'a very long name'}, 'x/y': {}, '': {}}}}",
                        "config.json: linux.netDevices['eth0'].name: invalid network device name 'a very long name'",
                        "config.json: linux.netDevices['x/y']: invalid network device name",
                        "config.json: linux.netDevices['']: invalid network device name"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void reportsError(String patch, List<String> expected) throws Exception {
        assertErrors(patch, expected.toArray(new String[0]));
    }

    static Stream<Arguments> warnings() {
        return Stream.of(
                rule("{'process': {'commandLine': 'cmd /c dir'}}",
                        "config.json: process.commandLine: ignored: it is only used on Windows"),
                rule("{'process': {'user': {'username': 'admin'}}}",
                        "config.json: process.user.username: ignored: it is only used on Windows"),
                rule("{'process': {'terminal': false, 'consoleSize': {'height': 25, 'width': 80}}}",
                        "config.json: process.consoleSize: ignored because terminal is not true"),
                rule("{'process': {'capabilities': {'bounding': ['CAP_KILL', 'CAP_FOO'], 'ambient': ['CAP_BAR']}}}",
                        "config.json: process.capabilities.bounding[1]: unknown capability 'CAP_FOO'",
                        "config.json: process.capabilities.ambient[0]: unknown capability 'CAP_BAR'"),
                rule("{'mounts': [{'destination': 'data', 'type': 'tmpfs', 'source': 'tmpfs'}]}",
                        "config.json: mounts[0].destination: relative destinations are deprecated;"
                                + " 'data' is taken as relative to '/'"),
                rule("{'mounts': [{'destination': '/a', 'source': '/x', 'options': ['bind'],"
                                + " 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}],"
                                + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}]}]}",
                        "config.json: mounts[0].options: should contain 'idmap' or 'ridmap' when mappings are given"),
                rule(withNamespaces("{'type': 'user', 'path': '/proc/1/ns/user'}",
                                ", 'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}],"
                                        + " 'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]"),
                        "config.json: linux.uidMappings: ignored when joining an existing user namespace",
                        "config.json: linux.gidMappings: ignored when joining an existing user namespace"),
                rule("{'linux': {'devices': [{'path': '/dev/x', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 8630}]}}",
                        "config.json: linux.devices[0].fileMode: only the permission bits (07777) are used"),
                rule("{'linux': {'resources': {'memory': {'kernel': -1, 'kernelTCP': 1000}}}}",
                        "config.json: linux.resources.memory.kernel: ignored: kernel memory limits are not supported",
                        "config.json: linux.resources.memory.kernelTCP: ignored: kernel memory limits are not supported"),
                rule("{'linux': {'resources': {'devices': [{'allow': false, 'access': 'rwm'},"
                                + " {'allow': false, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'a'}]}}}",
                        "config.json: linux.resources.devices[1].access: 'a' names no access mode (r, w or m):"
                                + " the rule denies nothing"),
                rule("{'linux': {'seccomp': {}}}",
                        "config.json: linux.seccomp: no defaultAction and no syscalls: no seccomp filter is installed"),
                rule("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '/run/a.sock'}}}",
                        "config.json: linux.seccomp.listenerPath: ignored: no rule uses SCMP_ACT_NOTIFY"),
                rule("{'linux': {'personality': {'domain': 'LINUX', 'flags': ['X']}}}",
                        "config.json: linux.personality.flags: ignored: no personality flags are defined"),
                rule("{'linux': {'intelRdt': {'l3CacheSchema': 'MB:0=1\\n'}}}",
                        "config.json: linux.intelRdt.l3CacheSchema: should start with 'L3:'",
                        "config.json: linux.intelRdt.l3CacheSchema: should not contain a newline"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("warnings")
    void reportsWarning(String patch, List<String> expected) throws Exception {
        assertOnlyWarnings(patch, expected.toArray(new String[0]));
    }

    /** Settings that look unusual but are valid, and must stay accepted. */
    static Stream<String> accepted() {
        return Stream.of(
                "{'linux': {'rootfsPropagation': 'rprivate'}}",
                "{'linux': {'sysctl': {'kernel.domainname': 'x', 'kernel.shm_rmid_forced': '1', 'net.ipv4.ip_forward': '1'}}}",
                "{'linux': {'resources': {'memory': {'limit': -1, 'swap': -1, 'swappiness': 18446744073709551615}}}}",
                "{'linux': {'resources': {'memory': {'limit': 1000, 'swap': 1000}, 'pids': {'limit': 0},"
                        + " 'cpu': {'shares': 0, 'quota': -1, 'period': 100000, 'cpus': '0-3,7', 'idle': 1}}}}",
                "{'linux': {'devices': [{'path': '/dev/fifo', 'type': 'p'}]}}",
                // runc takes an "a" among the access letters, in any order; a type a rule resets the
                // list whatever its access
                "{'linux': {'resources': {'devices': [{'allow': false, 'access': 'a'}, {'allow': false, 'access': 'rwa'},"
                        + " {'allow': true, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'arwm'},"
                        + " {'allow': true, 'type': 'c', 'major': 1, 'minor': 5, 'access': 'wma'}]}}}",
                "{'process': {'scheduler': {'policy': 'SCHED_FIFO', 'priority': 99}}}",
                "{'process': {'scheduler': {'policy': 'SCHED_DEADLINE', 'runtime': 1000, 'deadline': 2000}}}",
                "{'process': {'rlimits': [{'type': 'RLIMIT_CORE', 'hard': 18446744073709551615, 'soft': 1}]}}",
                "{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38,"
                        + " 'listenerPath': '/run/a.sock', 'listenerMetadata': 'm', 'flags': ['SECCOMP_FILTER_FLAG_TSYNC'],"
                        + " 'syscalls': [{'names': ['mount'], 'action': 'SCMP_ACT_NOTIFY'},"
                        + " {'names': ['kill'], 'action': 'SCMP_ACT_TRACE', 'errnoRet': 1,"
                        + " 'args': [{'index': 5, 'value': 18446744073709551615, 'op': 'SCMP_CMP_MASKED_EQ'}]}]}}}",
                "{'linux': {'memoryPolicy': {'mode': 'MPOL_PREFERRED', 'nodes': ''}}}",
                "{'linux': {'intelRdt': {'closID': '/'}}}",
                "{'linux': {'netDevices': {'eth0': {'name': 'ceth%d'}}}}",
                withNamespaces("{'type': 'user'}", ", 'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}],"
                        + " 'gidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}]"),
                "{'mounts': [{'destination': '/a', 'source': '/x', 'options': ['rbind', 'ro', 'rprivate', 'nosuid']}]}",
                // the kernel ignores filesystem data on a bind mount; runc accepts it (the OCI mounts test uses it)
                "{'mounts': [{'destination': '/a', 'type': 'none', 'source': '/x', 'options': ['rbind', 'mode=755', 'size=1k']}]}",
                "{'hooks': {'prestart': [{'path': '/usr/bin/hook', 'timeout': 5}]}}",
                // cleaned lexically, as runc cleans it
                "{'root': {'path': 'rootfs/../rootfs/./'}}");
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void acceptsValidSettings(String patch) throws Exception {
        Report r = validate(patch);
        assertEquals(List.of(), render(r.errors()), "errors");
        assertEquals(List.of(), render(r.warnings()), "warnings");
    }

    @Test
    void rootfsMustExist() throws Exception {
        assertErrors("{'root': {'path': 'nope'}}",
                "config.json: root.path: directory " + bundle.resolve("nope") + " does not exist");
    }

    @Test
    void rootfsMustBeADirectory() throws Exception {
        Files.createFile(bundle.resolve("file"));
        assertErrors("{'root': {'path': 'file'}}", "config.json: root.path: " + bundle.resolve("file") + " is not a directory");
    }

    @Test
    void rootfsMustNotBeASymlink() throws Exception {
        Files.createSymbolicLink(bundle.resolve("link"), bundle.resolve("rootfs"));
        assertErrors("{'root': {'path': 'link'}}", "config.json: root.path: " + bundle.resolve("link")
                + " must not be or pass through a symbolic link (it resolves to " + bundle.resolve("rootfs") + ")");
    }

    @Test
    void rootfsSymlinkToTheHostRootIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(bundle.resolve("host"), Path.of("/"));
        try {
            assertErrors("{'root': {'path': 'host'}}", "config.json: root.path: must not resolve to the host root directory");
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void absoluteRootfsAndSymlinkedBundleAreFine() throws Exception {
        assertErrors("{'root': {'path': '" + bundle.resolve("rootfs") + "'}}");
        Path alias = Files.createSymbolicLink(bundle.resolveSibling(bundle.getFileName() + "-alias"), bundle);
        try {
            Object tree = JsonTree.parse(Golden.text("runc-spec.json"));
            Spec spec = SpecReader.readConfig(JsonTree.bytes(tree), "config.json");
            assertEquals(List.of(), Validator.validate(spec, alias).errors());
        } finally {
            Files.delete(alias);
        }
    }

    @Test
    void validatesAStandaloneProcess() throws Exception {
        var p = SpecReader.readProcess(json("{'args': [], 'cwd': 'x', 'oomScoreAdj': 2000}").getBytes(), "p.json");
        assertEquals(List.of("p.json: cwd: must be an absolute path", "p.json: args: must not be empty",
                        "p.json: oomScoreAdj: must be between -1000 and 1000"),
                render(Validator.validateProcess(p, "p.json").errors()));
        var ok = SpecReader.readProcess(json("{'args': ['ls'], 'cwd': '/'}").getBytes(), "p.json");
        assertEquals(List.of(), Validator.validateProcess(ok, "p.json").errors());
    }

    @Test
    void validatesUpdateResources() throws Exception {
        var r = SpecReader.readResources(json("{'memory': {'swap': 1000, 'swappiness': 200}}").getBytes(), "-");
        // A swap limit alone is fine in an update: the memory limit may already be set.
        assertEquals(List.of("-: memory.swappiness: must be between 0 and 100"),
                render(Validator.validateResources(r, "-").errors()));
    }

    /** Values the JSON decoder already refuses, which a program building the model can still pass. */
    @Test
    void resourcesBuiltWithoutTheDecoderAreCheckedToo() {
        var r = new LinuxResources(null, null, new LinuxCPU(null, null, -1L, null, null, -1L, null, null, null), null,
                null, null, new LinuxNetwork(4294967296L, List.of(new LinuxInterfacePriority("eth0", -1L))),
                Map.of("mlx4_0", new LinuxRdma(4294967296L, null)), null);
        assertEquals(List.of(
                "resources: cpu.burst: 18446744073709551615 is out of range (at most 9223372036854775807)",
                "resources: cpu.realtimePeriod: 18446744073709551615 is out of range (at most 9223372036854775807)",
                "resources: network.classID: must be between 0 and 4294967295",
                "resources: network.priorities[0].priority: must be between 0 and 4294967295",
                json("resources: rdma['mlx4_0'].hcaHandles: must be between 0 and 4294967295")),
                render(Validator.validateResources(r, "resources").errors()));
    }

    private static Arguments rule(String patch, String... expected) {
        return Arguments.of(patch, List.of(expected));
    }

    /** A patch giving the default namespaces plus {@code extra}, and more linux fields. */
    private static String withNamespaces(String extra, String moreLinux) {
        return "{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'network'}, {'type': 'ipc'}, {'type': 'uts'},"
                + " {'type': 'mount'}, " + extra + "]" + moreLinux + "}}";
    }
}
