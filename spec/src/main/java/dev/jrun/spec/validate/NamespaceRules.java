package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isAbsolute;
import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;
import static dev.jrun.spec.validate.JsonPath.key;

import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.LinuxTimeOffset;
import dev.jrun.spec.model.Spec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The namespace list, and every setting that only makes sense in a namespace of the container's
 * own: id mappings need a user namespace, clock offsets a time namespace, the hostname a UTS
 * namespace, masked paths a mount namespace, moved network devices a network namespace.
 */
final class NamespaceRules {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final String NAMESPACES = field(Json.Spec.linux, Json.Linux.namespaces);
    private static final String UID_MAPPINGS = field(Json.Spec.linux, Json.Linux.uidMappings);
    private static final String GID_MAPPINGS = field(Json.Spec.linux, Json.Linux.gidMappings);
    private static final String TIME_OFFSETS = field(Json.Spec.linux, Json.Linux.timeOffsets);

    private final Findings f;

    NamespaceRules(Findings f) {
        this.f = f;
    }

    void check(Spec spec) {
        Linux linux = spec.linux();
        if (linux != null && linux.namespaces() != null) {
            namespaces(linux.namespaces());
        }
        boolean uts = linux != null && linux.hasNamespace("uts");
        if (!isEmpty(spec.hostname()) && !uts) {
            f.error(Json.Spec.hostname, "needs a UTS namespace in linux.namespaces");
        }
        if (!isEmpty(spec.domainname()) && !uts) {
            f.error(Json.Spec.domainname, "needs a UTS namespace in linux.namespaces");
        }
        if (linux == null) {
            return;
        }
        userMappings(linux);
        timeOffsets(linux);
        if (!linux.hasNamespace("mount")) {
            if (!isEmpty(linux.maskedPaths())) {
                f.error(field(Json.Spec.linux, Json.Linux.maskedPaths),
                        "needs a mount namespace in linux.namespaces");
            }
            // runc ignores it there; a read-only root silently writable is worse than a refusal
            if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
                f.error(field(Json.Spec.root, Json.Root.readonly), "needs a mount namespace in linux.namespaces");
            }
            if (!isEmpty(linux.readonlyPaths())) {
                f.error(field(Json.Spec.linux, Json.Linux.readonlyPaths),
                        "needs a mount namespace in linux.namespaces");
            }
        }
        if (linux.netDevices() != null && !linux.netDevices().isEmpty() && !linux.hasNamespace("network")) {
            f.error(field(Json.Spec.linux, Json.Linux.netDevices), "needs a network namespace in linux.namespaces");
        }
    }

    private void namespaces(List<LinuxNamespace> namespaces) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < namespaces.size(); i++) {
            LinuxNamespace ns = namespaces.get(i);
            String at = index(NAMESPACES, i);
            if (isEmpty(ns.type())) {
                f.error(field(at, Json.LinuxNamespace.type), "must be set");
            } else if (NamespaceType.of(ns.type()) == null) {
                f.error(field(at, Json.LinuxNamespace.type), "unknown namespace type " + quote(ns.type()));
            } else if (!seen.add(ns.type())) {
                f.error(field(at, Json.LinuxNamespace.type), "duplicate namespace " + quote(ns.type()));
            }
            if (!isEmpty(ns.path()) && !isAbsolute(ns.path())) {
                f.error(field(at, Json.LinuxNamespace.path), "must be an absolute path");
            }
        }
    }

    private void userMappings(Linux linux) {
        LinuxNamespace userns = linux.namespace("user");
        List<LinuxIDMapping> uids = linux.uidMappings();
        List<LinuxIDMapping> gids = linux.gidMappings();
        if (userns == null) {
            if (uids != null) {
                f.error(UID_MAPPINGS, "needs a user namespace in linux.namespaces");
            }
            if (gids != null) {
                f.error(GID_MAPPINGS, "needs a user namespace in linux.namespaces");
            }
        } else if (userns.isNew()) {
            if (isEmpty(uids)) {
                f.error(UID_MAPPINGS, "must be set for a new user namespace");
            }
            if (isEmpty(gids)) {
                f.error(GID_MAPPINGS, "must be set for a new user namespace");
            }
        } else {
            // runc compares them with the joined namespace's maps, which needs the running
            // system; here they can only be flagged as unused.
            if (uids != null) {
                f.warn(UID_MAPPINGS, "ignored when joining an existing user namespace");
            }
            if (gids != null) {
                f.warn(GID_MAPPINGS, "ignored when joining an existing user namespace");
            }
        }
        IdMappingRules rules = new IdMappingRules(f);
        if (uids != null) {
            rules.check(uids, UID_MAPPINGS);
        }
        if (gids != null) {
            rules.check(gids, GID_MAPPINGS);
        }
    }

    private void timeOffsets(Linux linux) {
        Map<String, LinuxTimeOffset> offsets = linux.timeOffsets();
        if (offsets == null) {
            return;
        }
        LinuxNamespace timens = linux.namespace("time");
        if (timens == null) {
            f.error(TIME_OFFSETS, "needs a time namespace in linux.namespaces");
        } else if (!timens.isNew()) {
            f.error(TIME_OFFSETS, "cannot be set when joining an existing time namespace");
        }
        for (Map.Entry<String, LinuxTimeOffset> e : offsets.entrySet()) {
            String at = key(TIME_OFFSETS, e.getKey());
            if (!e.getKey().equals("monotonic") && !e.getKey().equals("boottime")) {
                f.error(at, "unknown clock (only monotonic and boottime can be offset)");
            }
            Long nanos = e.getValue().nanosecs();
            if (nanos != null && nanos >= NANOS_PER_SECOND) {
                f.error(field(at, Json.LinuxTimeOffset.nanosecs), "must be less than " + NANOS_PER_SECOND);
            }
        }
    }
}
