package dev.jrun.runtime.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The process's environment as runc prepares it: a variable given twice keeps only its last
 * value (in that value's place), an empty HOME is dropped, and HOME comes from the container's
 * /etc/passwd when none with a value is set.
 *
 * @param variables NAME=VALUE, deduplicated
 * @param needsHome whether HOME must be added from /etc/passwd
 * @param path the PATH value the executable is looked up in
 */
record ProcessEnv(List<String> variables, boolean needsHome, String path) {

    static ProcessEnv of(List<String> env) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean home = false;
        String path = "";
        List<String> given = env == null ? List.of() : env;
        for (int i = given.size() - 1; i >= 0; i--) {
            String kv = given.get(i);
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            if (!seen.add(key)) {
                continue;
            }
            String value = eq < 0 ? "" : kv.substring(eq + 1);
            if (key.equals("PATH")) {
                path = value;
            }
            if (key.equals("HOME")) {
                if (value.isEmpty()) {
                    continue;
                }
                home = true;
            }
            out.add(kv);
        }
        Collections.reverse(out);
        return new ProcessEnv(List.copyOf(out), !home, path);
    }
}
