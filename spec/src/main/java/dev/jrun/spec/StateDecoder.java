package dev.jrun.spec;

import dev.jrun.spec.model.State;
import java.io.IOException;
import java.util.Map;

/** Decodes the OCI state document; same conventions as {@link SpecDecoder}. */
final class StateDecoder {
    private final JsonIn in;

    StateDecoder(JsonIn in) {
        this.in = in;
    }

    State state() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String ociVersion = null;
        String id = null;
        String status = null;
        Long pid = null;
        String bundle = null;
        Map<String, String> annotations = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "ociVersion" -> ociVersion = in.string();
                case "id" -> id = in.string();
                case "status" -> status = in.string();
                case "pid" -> pid = in.int64();
                case "bundle" -> bundle = in.string();
                case "annotations" -> annotations = in.stringMap();
                default -> in.skipValue();
            }
        }
        return new State(ociVersion, id, status, pid, bundle, annotations);
    }
}
