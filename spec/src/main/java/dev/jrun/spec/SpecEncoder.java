package dev.jrun.spec;

import static dev.jrun.spec.GoFields.boolOmit;
import static dev.jrun.spec.GoFields.number;
import static dev.jrun.spec.GoFields.numberOmit;
import static dev.jrun.spec.GoFields.numberPtr;
import static dev.jrun.spec.GoFields.present;
import static dev.jrun.spec.GoFields.string;
import static dev.jrun.spec.GoFields.stringMapOmit;
import static dev.jrun.spec.GoFields.stringOmit;
import static dev.jrun.spec.GoFields.stringsOmit;
import static dev.jrun.spec.GoFields.unsigned;
import static dev.jrun.spec.GoFields.unsignedOmit;

import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.model.Box;
import dev.jrun.spec.model.CPUAffinity;
import dev.jrun.spec.model.Hook;
import dev.jrun.spec.model.Hooks;
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
import java.util.List;

/**
 * Writes config.json's platform-independent part and the process object. Field order and
 * omission follow the Go structs of runtime-spec (specs-go/config.go), field by field.
 */
final class SpecEncoder {
    private final GoJson out;

    SpecEncoder(GoJson out) {
        this.out = out;
    }

    void spec(Spec s) {
        out.beginObject();
        string(out, "ociVersion", s.ociVersion());
        if (s.process() != null) {
            out.name("process");
            process(s.process());
        }
        if (s.root() != null) {
            out.name("root");
            root(s.root());
        }
        stringOmit(out, "hostname", s.hostname());
        stringOmit(out, "domainname", s.domainname());
        if (present(s.mounts())) {
            out.name("mounts").beginArray();
            for (Mount m : s.mounts()) {
                mount(m);
            }
            out.endArray();
        }
        if (s.hooks() != null) {
            out.name("hooks");
            hooks(s.hooks());
        }
        stringMapOmit(out, "annotations", s.annotations());
        if (s.linux() != null) {
            out.name("linux");
            new LinuxEncoder(out).linux(s.linux());
        }
        out.endObject();
    }

    void process(Process p) {
        out.beginObject();
        boolOmit(out, "terminal", p.terminal());
        if (p.consoleSize() != null) {
            out.name("consoleSize");
            box(p.consoleSize());
        }
        out.name("user");
        user(p.user());
        stringsOmit(out, "args", p.args());
        stringOmit(out, "commandLine", p.commandLine());
        stringsOmit(out, "env", p.env());
        string(out, "cwd", p.cwd());
        if (p.capabilities() != null) {
            out.name("capabilities");
            capabilities(p.capabilities());
        }
        if (present(p.rlimits())) {
            out.name("rlimits").beginArray();
            for (POSIXRlimit r : p.rlimits()) {
                out.beginObject();
                string(out, "type", r.type());
                unsigned(out, "hard", r.hard());
                unsigned(out, "soft", r.soft());
                out.endObject();
            }
            out.endArray();
        }
        boolOmit(out, "noNewPrivileges", p.noNewPrivileges());
        stringOmit(out, "apparmorProfile", p.apparmorProfile());
        numberPtr(out, "oomScoreAdj", p.oomScoreAdj());
        if (p.scheduler() != null) {
            out.name("scheduler");
            scheduler(p.scheduler());
        }
        stringOmit(out, "selinuxLabel", p.selinuxLabel());
        if (p.ioPriority() != null) {
            LinuxIOPriority io = p.ioPriority();
            out.name("ioPriority").beginObject();
            string(out, "class", io.ioClass());
            number(out, "priority", io.priority());
            out.endObject();
        }
        if (p.execCPUAffinity() != null) {
            CPUAffinity a = p.execCPUAffinity();
            out.name("execCPUAffinity").beginObject();
            stringOmit(out, "initial", a.initial());
            stringOmit(out, "final", a.finalCpus());
            out.endObject();
        }
        out.endObject();
    }

    private void box(Box b) {
        out.beginObject();
        unsigned(out, "height", b.height());
        unsigned(out, "width", b.width());
        out.endObject();
    }

    /** {@code user} is a struct value in Go, so an absent one is still written, as zeros. */
    private void user(User u) {
        out.beginObject();
        if (u == null) {
            number(out, "uid", 0L);
            number(out, "gid", 0L);
        } else {
            number(out, "uid", u.uid());
            number(out, "gid", u.gid());
            numberPtr(out, "umask", u.umask());
            if (present(u.additionalGids())) {
                out.name("additionalGids").beginArray();
                for (Long gid : u.additionalGids()) {
                    out.value(gid == null ? 0L : gid);
                }
                out.endArray();
            }
            stringOmit(out, "username", u.username());
        }
        out.endObject();
    }

    private void capabilities(LinuxCapabilities c) {
        out.beginObject();
        stringsOmit(out, "bounding", c.bounding());
        stringsOmit(out, "effective", c.effective());
        stringsOmit(out, "inheritable", c.inheritable());
        stringsOmit(out, "permitted", c.permitted());
        stringsOmit(out, "ambient", c.ambient());
        out.endObject();
    }

    private void scheduler(Scheduler s) {
        out.beginObject();
        string(out, "policy", s.policy());
        numberOmit(out, "nice", s.nice());
        numberOmit(out, "priority", s.priority());
        stringsOmit(out, "flags", s.flags());
        unsignedOmit(out, "runtime", s.runtime());
        unsignedOmit(out, "deadline", s.deadline());
        unsignedOmit(out, "period", s.period());
        out.endObject();
    }

    private void root(Root r) {
        out.beginObject();
        string(out, "path", r.path());
        boolOmit(out, "readonly", r.readonly());
        out.endObject();
    }

    private void mount(Mount m) {
        out.beginObject();
        string(out, "destination", m.destination());
        stringOmit(out, "type", m.type());
        stringOmit(out, "source", m.source());
        stringsOmit(out, "options", m.options());
        idMappingsOmit(out, "uidMappings", m.uidMappings());
        idMappingsOmit(out, "gidMappings", m.gidMappings());
        out.endObject();
    }

    /** Shared with {@link LinuxEncoder}. */
    static void idMappingsOmit(GoJson out, String name, List<LinuxIDMapping> mappings) {
        if (!present(mappings)) {
            return;
        }
        out.name(name).beginArray();
        for (LinuxIDMapping m : mappings) {
            out.beginObject();
            number(out, "containerID", m.containerID());
            number(out, "hostID", m.hostID());
            number(out, "size", m.size());
            out.endObject();
        }
        out.endArray();
    }

    private void hooks(Hooks h) {
        out.beginObject();
        hookList("prestart", h.prestart());
        hookList("createRuntime", h.createRuntime());
        hookList("createContainer", h.createContainer());
        hookList("startContainer", h.startContainer());
        hookList("poststart", h.poststart());
        hookList("poststop", h.poststop());
        out.endObject();
    }

    private void hookList(String name, List<Hook> hooks) {
        if (!present(hooks)) {
            return;
        }
        out.name(name).beginArray();
        for (Hook h : hooks) {
            out.beginObject();
            string(out, "path", h.path());
            stringsOmit(out, "args", h.args());
            stringsOmit(out, "env", h.env());
            numberPtr(out, "timeout", h.timeout());
            out.endObject();
        }
        out.endArray();
    }
}
