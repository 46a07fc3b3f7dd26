package dev.jrun.spec.validate;

import dev.jrun.spec.linux.CpuList;
import java.util.List;

/** Small predicates and message pieces shared by the rule classes. */
final class Checks {
    private Checks() {}

    static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    static boolean isAbsolute(String path) {
        return path != null && path.startsWith("/");
    }

    static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    static boolean oneOf(String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return true;
            }
        }
        return false;
    }

    static String quote(String s) {
        return "\"" + dev.jrun.spec.Text.abbreviate(s) + "\"";
    }

    /** "a, b or c" */
    static String alternatives(String... values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(i == values.length - 1 ? " or " : ", ");
            }
            sb.append(values[i]);
        }
        return sb.toString();
    }

    /** Reports a malformed CPU or memory node list such as "0-3,7"; absent is fine. */
    static void cpuList(Findings f, String list, String at) {
        if (list != null) {
            String problem = CpuList.problem(list);
            if (problem != null) {
                f.error(at, problem);
            }
        }
    }
}
