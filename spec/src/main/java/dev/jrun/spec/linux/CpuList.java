package dev.jrun.spec.linux;

import java.util.BitSet;

/**
 * The kernel's list format for CPUs and memory nodes, e.g. {@code 0-3,7}: comma-separated
 * numbers and inclusive ranges. Parsing is as lenient as runc's (spaces around elements and empty
 * elements are allowed) so that lists runc accepts are accepted here too. A CPU affinity is such
 * a list, handed to the kernel as a cpu_set_t ({@link #mask}).
 */
public final class CpuList {
    /** runc's sanity limit on ids, to avoid allocating huge masks for bogus input. */
    public static final int MAX_ID = 64 * 1024;

    /** The CPUs a glibc cpu_set_t holds: the ones a CPU affinity can name. */
    public static final int AFFINITY_CPUS = 1024;

    private CpuList() {}

    /**
     * The ids of a list; an empty string is the empty set.
     *
     * @throws IllegalArgumentException with a reason if the list is malformed
     */
    public static BitSet parse(String list) {
        BitSet set = new BitSet();
        if (list.isEmpty()) {
            return set;
        }
        boolean any = false;
        for (String element : list.split(",", -1)) {
            String e = element.strip();
            if (e.isEmpty()) {
                continue;
            }
            int dash = e.indexOf('-');
            int from = id(dash < 0 ? e : e.substring(0, dash), list);
            int to = dash < 0 ? from : id(e.substring(dash + 1), list);
            if (from > to) {
                throw new IllegalArgumentException("invalid range \"" + e + "\" in \"" + list + "\"");
            }
            set.set(from, to + 1);
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("no members in \"" + list + "\"");
        }
        return set;
    }

    /** Why {@code list} is malformed, or {@code null} if it is fine. */
    public static String problem(String list) {
        try {
            parse(list);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The list as the cpu_set_t bytes sched_setaffinity takes.
     *
     * @throws IllegalArgumentException with a reason if the list is malformed or names a CPU of
     *     {@link #AFFINITY_CPUS} or above
     */
    public static byte[] mask(String list) {
        BitSet cpus = parse(list);
        if (cpus.length() > AFFINITY_CPUS) {
            throw new IllegalArgumentException("CPU " + (cpus.length() - 1) + " is beyond " + (AFFINITY_CPUS - 1));
        }
        byte[] mask = new byte[AFFINITY_CPUS / 8];
        byte[] bits = cpus.toByteArray();
        System.arraycopy(bits, 0, mask, 0, bits.length);
        return mask;
    }

    /** Why {@code list} cannot be a CPU affinity, or {@code null} if it can. */
    public static String affinityProblem(String list) {
        try {
            mask(list);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static int id(String s, String list) {
        if (s.isEmpty() || s.length() > 6) {
            throw new IllegalArgumentException("invalid number \"" + s + "\" in \"" + list + "\"");
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid number \"" + s + "\" in \"" + list + "\"");
            }
            n = n * 10 + (c - '0');
        }
        if (n > MAX_ID) {
            throw new IllegalArgumentException("id " + n + " in \"" + list + "\" is above " + MAX_ID);
        }
        return n;
    }
}
