package dev.jrun.runtime.cgroups;

import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.LinuxResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the cgroup tests: resources from JSON, plans as short strings, fake cgroupfs trees. */
final class CgroupTestSupport {
    private CgroupTestSupport() {
    }

    /** linux.resources from JSON written with ' for " (readability). */
    static LinuxResources res(String json) {
        try {
            return SpecReader.readResources(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "resources.json");
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON " + json + ": " + e.getMessage(), e);
        }
    }

    /** "controller/file=value" (v2: "file=value"), in order. */
    static List<String> show(List<CgroupWrite> writes) {
        List<String> out = new ArrayList<>();
        for (CgroupWrite w : writes) {
            out.add((w.controller().isEmpty() ? "" : w.controller() + "/") + w.file() + "=" + w.value());
        }
        return out;
    }

    /** The plan without the device rules every v1 plan carries. */
    static List<String> showNoDevices(List<CgroupWrite> writes) {
        List<String> out = new ArrayList<>();
        for (String s : show(writes)) {
            if (!s.startsWith("devices/")) {
                out.add(s);
            }
        }
        return out;
    }

    /** name, content, name, content... as an ordered map, for {@link #tree}. */
    static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A directory with the given files (name to content). */
    static Path tree(Path dir, Map<String, String> files) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : files.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static void put(Path dir, String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String content(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A view of a v1 cgroup for V1Resources.plan: the files that exist and their contents. */
    static V1Resources.Current current(Map<String, String> values, List<String> missing) {
        return new V1Resources.Current() {
            @Override
            public boolean exists(String controller, String file) {
                return !missing.contains(controller + "/" + file);
            }

            @Override
            public String read(String controller, String file) {
                return values.get(controller + "/" + file);
            }
        };
    }
}
