package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.hasNul;
import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;

import dev.jrun.spec.linux.MountOptions;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Mount;
import java.util.List;

/** The {@code mounts} list. */
final class MountRules {
    private final Findings f;

    MountRules(Findings f) {
        this.f = f;
    }

    void check(List<Mount> mounts, Linux linux) {
        boolean userns = linux != null && linux.hasNamespace("user");
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String at = index(Json.Spec.mounts, i);
            String dest = m.destination();
            if (isEmpty(dest)) {
                f.error(field(at, Json.Mount.destination), "must be set");
            } else if (!dest.startsWith("/")) {
                // config.md v1.3.0: on Linux relative destinations are deprecated, not invalid.
                f.warn(field(at, Json.Mount.destination), "relative destinations are deprecated; "
                        + quote(dest) + " is taken as relative to \"/\"");
            }
            // The mount is later passed through a netlink-style encoding that cannot carry NULs.
            if (hasNul(dest)) {
                f.error(field(at, Json.Mount.destination), "must not contain a NUL byte");
            }
            if (hasNul(m.source())) {
                f.error(field(at, Json.Mount.source), "must not contain a NUL byte");
            }
            if (hasNul(m.type())) {
                f.error(field(at, Json.Mount.type), "must not contain a NUL byte");
            }
            // filesystem data on a bind mount is accepted, as runc accepts it: the kernel ignores it
            idMapped(m, at, MountOptions.isBind(m.options()), userns);
        }
    }

    private void idMapped(Mount m, String at, boolean bind, boolean userns) {
        boolean hasUid = m.uidMappings() != null;
        boolean hasGid = m.gidMappings() != null;
        boolean option = m.hasOption("idmap") || m.hasOption("ridmap");
        if (hasUid != hasGid) {
            f.error(field(at, hasUid ? Json.Mount.gidMappings : Json.Mount.uidMappings),
                    "id-mapped mounts must have both uid and gid mappings specified");
        }
        if (!option && !hasUid && !hasGid) {
            return;
        }
        if (!bind) {
            f.error(field(at, Json.Mount.options),
                    "id-mapped mounts are only supported for bind-mounts (add \"bind\" or \"rbind\")");
        }
        if (!option) {
            f.warn(field(at, Json.Mount.options), "should contain \"idmap\" or \"ridmap\" when mappings are given");
        }
        if (!hasUid && !hasGid && !userns) {
            f.error(field(at, Json.Mount.options),
                    "id-mapped mounts must have both uid and gid mappings specified"
                            + " (without them, \"idmap\" and \"ridmap\" take the mappings of the container user namespace, and it has none)");
        }
        IdMappingRules rules = new IdMappingRules(f);
        if (hasUid) {
            if (m.uidMappings().isEmpty()) {
                f.error(field(at, Json.Mount.uidMappings), "must not be empty");
            }
            rules.check(m.uidMappings(), field(at, Json.Mount.uidMappings));
        }
        if (hasGid) {
            if (m.gidMappings().isEmpty()) {
                f.error(field(at, Json.Mount.gidMappings), "must not be empty");
            }
            rules.check(m.gidMappings(), field(at, Json.Mount.gidMappings));
        }
    }
}
