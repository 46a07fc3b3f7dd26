package dev.jrun.runtime.container;

import dev.jrun.spec.OciVersion;
import dev.jrun.spec.SpecWriter;
import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.State;
import java.util.Map;

/** The JSON documents a container's state is shown as. */
public final class StateDocuments {
    private StateDocuments() {
    }

    /** The OCI state, as hooks read it on stdin. */
    public static byte[] ociState(String id, Status status, int pid, String bundle, Map<String, String> annotations) {
        State s = new State(OciVersion.CURRENT, id, status.word, pid > 0 ? (long) pid : null, bundle,
                annotations == null || annotations.isEmpty() ? null : annotations);
        return SpecWriter.write(s, JsonStyle.COMPACT);
    }

    /** runc's `state` output: the OCI fields plus rootfs, created and owner. */
    public static void runcState(GoJson out, ContainerState s, Status status) {
        out.beginObject()
                .name("ociVersion").value(OciVersion.CURRENT)
                .name("id").value(s.id())
                .name("pid").value(status == Status.STOPPED ? 0 : s.pid())
                .name("status").value(status.word)
                .name("bundle").value(s.bundle())
                .name("rootfs").value(s.rootfs())
                .name("created").value(s.created());
        if (!s.annotations().isEmpty()) {
            out.name("annotations").beginObject();
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.annotations()).entrySet()) {
                out.name(e.getKey()).value(e.getValue());
            }
            out.endObject();
        }
        out.name("owner").value(s.owner()).endObject();
    }
}
