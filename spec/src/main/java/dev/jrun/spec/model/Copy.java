package dev.jrun.spec.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Defensive copies that keep {@code null} (absent) distinct from empty. */
final class Copy {
    private Copy() {}

    static <T> List<T> list(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    /**
     * Keeps the caller's iteration order: consumers such as sysctl application should behave the
     * same on every run, which {@link Map#copyOf} (randomised order) would not give. Like {@link
     * List#copyOf}, refuses null keys and values.
     */
    static <V> Map<String, V> map(Map<String, V> map) {
        if (map == null) {
            return null;
        }
        Map<String, V> copy = new LinkedHashMap<>(map);
        for (Map.Entry<String, V> e : copy.entrySet()) {
            Objects.requireNonNull(e.getKey(), "map key");
            Objects.requireNonNull(e.getValue(), "map value");
        }
        return Collections.unmodifiableMap(copy);
    }
}
