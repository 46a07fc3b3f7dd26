package dev.jrun.runtime.container;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * exec --cgroup: which sub-cgroup of the container's each hierarchy's process goes into.  The
 * arguments and errors are runc's: one bare path (every hierarchy; cgroup v2's only form), or
 * any number of "controller[,controller]:path".
 */
final class SubCgroups {
    /** The key of a bare path: it applies to every hierarchy. */
    static final String ALL = "";

    private SubCgroups() {
    }

    /** controller (or {@link #ALL}) → sub-path, in the order given; empty when there are no arguments. */
    static Map<String, String> parse(List<String> args) throws JrunException {
        Map<String, String> paths = new LinkedHashMap<>();
        for (String arg : args) {
            int colon = arg.indexOf(':');
            if (colon < 0) {
                if (args.size() != 1) {
                    throw new JrunException("invalid --cgroup argument: " + arg + " (missing <controller>: prefix)");
                }
                paths.put(ALL, arg);
                continue;
            }
            for (String controller : arg.substring(0, colon).split(",", -1)) {
                if (controller.isEmpty()) {
                    throw new JrunException("invalid --cgroup argument: " + arg + " (empty <controller> prefix)");
                }
                if (paths.containsKey(controller)) {
                    throw new JrunException("invalid --cgroup argument(s): controller " + controller
                            + " specified multiple times");
                }
                paths.put(controller, arg.substring(colon + 1));
            }
        }
        return paths;
    }

    /**
     * The container's cgroup paths with the sub-paths applied.  A sub-path must stay inside the
     * container's cgroup, judged by whole path components (runc compares strings, which lets
     * "../foo2" out of ".../foo").
     *
     * @param containerPaths the state's paths: controller (or "" for the unified hierarchy) → directory
     */
    static Map<String, String> apply(Map<String, String> containerPaths, Map<String, String> sub)
            throws JrunException {
        Map<String, String> result = new LinkedHashMap<>(containerPaths);
        if (sub.containsKey(ALL)) {
            for (Map.Entry<String, String> e : containerPaths.entrySet()) {
                result.put(e.getKey(), join(e.getValue(), sub.get(ALL)));
            }
            return result;
        }
        for (Map.Entry<String, String> e : sub.entrySet()) {
            String key = e.getKey().equals("unified") && !containerPaths.containsKey("unified") ? "" : e.getKey();
            String dir = containerPaths.get(key);
            if (dir == null) {
                throw new JrunException("unknown controller " + e.getKey() + " in SubCgroupPaths");
            }
            result.put(key, join(dir, e.getValue()));
        }
        return result;
    }

    private static String join(String dir, String sub) throws JrunException {
        Path base = Path.of(dir);
        Path joined = base.resolve(sub.startsWith("/") ? sub.substring(1) : sub).normalize();
        if (!joined.startsWith(base)) {
            throw new JrunException(sub + " is not a sub cgroup path");
        }
        return joined.toString();
    }
}
