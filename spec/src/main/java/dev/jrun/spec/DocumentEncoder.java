package dev.jrun.spec;

import static dev.jrun.spec.GoFields.boolPtr;
import static dev.jrun.spec.GoFields.number;
import static dev.jrun.spec.GoFields.numberOmit;
import static dev.jrun.spec.GoFields.string;
import static dev.jrun.spec.GoFields.stringMapOmit;
import static dev.jrun.spec.GoFields.stringOmit;
import static dev.jrun.spec.GoFields.strings;
import static dev.jrun.spec.GoFields.stringsOmit;

import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.model.ContainerProcessState;
import dev.jrun.spec.model.Features;
import dev.jrun.spec.model.State;

/**
 * Writes the small documents: the OCI state and the seccomp agent's container process state
 * (specs-go/state.go), and the features document (specs-go/features/features.go); same
 * conventions as {@link SpecEncoder}.
 */
final class DocumentEncoder {
    private final GoJson out;

    DocumentEncoder(GoJson out) {
        this.out = out;
    }

    void state(State s) {
        out.beginObject();
        string(out, "ociVersion", s.ociVersion());
        string(out, "id", s.id());
        string(out, "status", s.status());
        numberOmit(out, "pid", s.pid());
        string(out, "bundle", s.bundle());
        stringMapOmit(out, "annotations", s.annotations());
        out.endObject();
    }

    void processState(ContainerProcessState s) {
        out.beginObject();
        string(out, "ociVersion", s.ociVersion());
        strings(out, "fds", s.fds());
        number(out, "pid", s.pid());
        stringOmit(out, "metadata", s.metadata());
        // A struct value in Go: an absent one is written with its zero fields.
        out.name("state");
        state(s.state() != null ? s.state() : new State(null, null, null, null, null, null));
        out.endObject();
    }

    void features(Features f) {
        out.beginObject();
        stringOmit(out, "ociVersionMin", f.ociVersionMin());
        stringOmit(out, "ociVersionMax", f.ociVersionMax());
        stringsOmit(out, "hooks", f.hooks());
        stringsOmit(out, "mountOptions", f.mountOptions());
        if (f.linux() != null) {
            out.name("linux");
            linux(f.linux());
        }
        stringMapOmit(out, "annotations", f.annotations());
        stringsOmit(out, "potentiallyUnsafeConfigAnnotations", f.potentiallyUnsafeConfigAnnotations());
        out.endObject();
    }

    private void linux(Features.Linux l) {
        out.beginObject();
        stringsOmit(out, "namespaces", l.namespaces());
        stringsOmit(out, "capabilities", l.capabilities());
        if (l.cgroup() != null) {
            Features.Cgroup c = l.cgroup();
            out.name("cgroup").beginObject();
            boolPtr(out, "v1", c.v1());
            boolPtr(out, "v2", c.v2());
            boolPtr(out, "systemd", c.systemd());
            boolPtr(out, "systemdUser", c.systemdUser());
            boolPtr(out, "rdma", c.rdma());
            out.endObject();
        }
        if (l.seccomp() != null) {
            Features.Seccomp s = l.seccomp();
            out.name("seccomp").beginObject();
            boolPtr(out, "enabled", s.enabled());
            stringsOmit(out, "actions", s.actions());
            stringsOmit(out, "operators", s.operators());
            stringsOmit(out, "archs", s.archs());
            stringsOmit(out, "knownFlags", s.knownFlags());
            stringsOmit(out, "supportedFlags", s.supportedFlags());
            out.endObject();
        }
        enabled("apparmor", l.apparmor());
        enabled("selinux", l.selinux());
        if (l.intelRdt() != null) {
            Features.IntelRdt r = l.intelRdt();
            out.name("intelRdt").beginObject();
            boolPtr(out, "enabled", r.enabled());
            boolPtr(out, "schemata", r.schemata());
            boolPtr(out, "monitoring", r.monitoring());
            out.endObject();
        }
        if (l.memoryPolicy() != null) {
            out.name("memoryPolicy").beginObject();
            stringsOmit(out, "modes", l.memoryPolicy().modes());
            stringsOmit(out, "flags", l.memoryPolicy().flags());
            out.endObject();
        }
        if (l.mountExtensions() != null) {
            out.name("mountExtensions").beginObject();
            enabled("idmap", l.mountExtensions().idmap());
            out.endObject();
        }
        enabled("netDevices", l.netDevices());
        out.endObject();
    }

    private void enabled(String name, Features.Enabled e) {
        if (e != null) {
            out.name(name).beginObject();
            boolPtr(out, "enabled", e.enabled());
            out.endObject();
        }
    }
}
