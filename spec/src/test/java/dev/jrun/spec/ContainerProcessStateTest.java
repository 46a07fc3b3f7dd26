package dev.jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.ContainerProcessState;
import dev.jrun.spec.model.State;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message to a seccomp agent; expected strings are Go's json.Marshal of specs-go's types. */
class ContainerProcessStateTest {

    @Test
    void writesLikeGo() {
        State state = new State("1.3.0", "c1", "creating", 4422L, "/b", Map.of("k", "v"));
        ContainerProcessState s = new ContainerProcessState("1.3.0", List.of("seccompFd"), 4422L, "MKNOD=/dev/null", state);
        assertEquals("{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,\"metadata\":\"MKNOD=/dev/null\","
                        + "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4422,"
                        + "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}}",
                new String(SpecWriter.write(s, JsonStyle.COMPACT), StandardCharsets.UTF_8));
    }

    @Test
    void writesZeroValuesLikeGo() {
        ContainerProcessState empty = new ContainerProcessState(null, null, null, null, null);
        assertEquals("{\"ociVersion\":\"\",\"fds\":null,\"pid\":0,"
                        + "\"state\":{\"ociVersion\":\"\",\"id\":\"\",\"status\":\"\",\"bundle\":\"\"}}",
                new String(SpecWriter.write(empty, JsonStyle.COMPACT), StandardCharsets.UTF_8));
    }
}
