package dev.jrun.spec.validate;

/**
 * Builds the JSON paths of messages, {@code linux.namespaces[2].type} or {@code sysctl["x"]}, from
 * the field names generated from the model (see {@link Json}), never typed in by hand.
 */
final class JsonPath {
    private JsonPath() {}

    static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    static String key(String parent, String key) {
        return parent + "[\"" + key + "\"]";
    }
}
