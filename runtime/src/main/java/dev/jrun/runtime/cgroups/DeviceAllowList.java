package dev.jrun.runtime.cgroups;

import dev.jrun.spec.linux.DeviceAccess;
import dev.jrun.spec.model.LinuxDeviceCgroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device allow list of a container: the config's {@code linux.resources.devices} rules, then
 * the rules every runc container gets, and an emulator of the v1 devices cgroup that turns
 * such an ordered list into its effective state.  Both drivers go through the emulator, as runc
 * does, so v1 (devices.allow/devices.deny) and v2 (an eBPF filter) enforce the same thing,
 * including refusing a deny rule that would have to punch a hole into a wildcard allow rule,
 * which the v1 kernel silently ignores.
 */
final class DeviceAllowList {
    static final long ANY = -1;
    static final int READ = DeviceAccess.READ;
    static final int WRITE = DeviceAccess.WRITE;
    static final int MKNOD = DeviceAccess.MKNOD;
    static final int RWM = DeviceAccess.ALL;

    private DeviceAllowList() {
    }

    /**
     * One rule.
     *
     * @param type 'a' (every device; major and minor are then ignored), 'b' or 'c'
     * @param major {@link #ANY} for every major
     * @param minor {@link #ANY} for every minor
     * @param access {@link #READ} | {@link #WRITE} | {@link #MKNOD}
     */
    record Rule(char type, long major, long minor, int access, boolean allow) {

        static Rule allow(char type, long major, long minor, String access) {
            return new Rule(type, major, minor, parseAccess(access), true);
        }

        static Rule deny(char type, long major, long minor, String access) {
            return new Rule(type, major, minor, parseAccess(access), false);
        }

        String accessString() {
            return DeviceAllowList.accessString(access);
        }

        /** The line devices.allow and devices.deny take, and devices.list shows: "c 1:3 rwm". */
        String cgroupString() {
            return type + " " + (major == ANY ? "*" : Long.toString(major)) + ":"
                    + (minor == ANY ? "*" : Long.toString(minor)) + " " + accessString();
        }

        @Override
        public String toString() {
            return (allow ? "allow " : "deny ") + cgroupString();
        }
    }

    static String accessString(int access) {
        return DeviceAccess.format(access);
    }

    /** The modes of an access string; validation has refused any other letter. */
    static int parseAccess(String access) {
        return DeviceAccess.parse(access);
    }

    /**
     * The rules runc adds after the config's own (its specconv AllowedDevices): mknod of any
     * char or block device, /dev/null, random, full, tty, zero, urandom, the pty slaves
     * (136:*), /dev/ptmx (5:2) and /dev/net/tun (10:200).
     */
    static final List<Rule> DEFAULT_ALLOWED = List.of(
            Rule.allow('c', ANY, ANY, "m"),
            Rule.allow('b', ANY, ANY, "m"),
            Rule.allow('c', 1, 3, "rwm"),
            Rule.allow('c', 1, 8, "rwm"),
            Rule.allow('c', 1, 7, "rwm"),
            Rule.allow('c', 5, 0, "rwm"),
            Rule.allow('c', 1, 5, "rwm"),
            Rule.allow('c', 1, 9, "rwm"),
            Rule.allow('c', 136, ANY, "rwm"),
            Rule.allow('c', 5, 2, "rwm"),
            Rule.allow('c', 10, 200, "rwm"));

    static final String REASON = "linux.resources.devices";

    /**
     * The config's rules, in order (no defaults).  Validation has checked them (type a, b or c,
     * access as {@link DeviceAccess} takes it, numbers from -1 for any up to 2^32-1); an absent
     * type is 'a' and an absent number any, as runc reads them.
     */
    static List<Rule> fromConfig(List<LinuxDeviceCgroup> devices) {
        List<Rule> rules = new ArrayList<>();
        if (devices == null) {
            return rules;
        }
        for (LinuxDeviceCgroup d : devices) {
            char type = d.type() == null || d.type().isEmpty() ? 'a' : d.type().charAt(0);
            rules.add(new Rule(type, orAny(d.major()), orAny(d.minor()), parseAccess(d.access()), d.isAllow()));
        }
        return rules;
    }

    private static long orAny(Long n) {
        return n == null ? ANY : n;
    }

    /** What a container gets: the config's rules followed by {@link #DEFAULT_ALLOWED}, as runc. */
    static List<Rule> forContainer(List<LinuxDeviceCgroup> devices) {
        List<Rule> rules = fromConfig(devices);
        rules.addAll(DEFAULT_ALLOWED);
        return rules;
    }

    /** The state of a v1 devices cgroup: a default policy and exceptions to it. */
    static final class Emulator {
        /**
         * The kernel's and runc's order of exceptions: major, minor, then type.  A class rather
         * than comparator combinators: each lambda costs a bootstrap on every `create`.
         */
        private static final Comparator<Key> ORDER = new Comparator<Key>() {
            @Override
            public int compare(Key a, Key b) {
                int c = Long.compare(a.major(), b.major());
                if (c == 0) {
                    c = Long.compare(a.minor(), b.minor());
                }
                return c != 0 ? c : Character.compare(a.type(), b.type());
            }
        };

        /** The match part of a rule; type is 'b' or 'c'. */
        record Key(char type, long major, long minor) {
        }

        private boolean defaultAllow;
        private final TreeMap<Key, Integer> exceptions = new TreeMap<>(ORDER);

        /** A new emulator is a whitelist: everything denied. */
        Emulator() {
        }

        static Emulator of(List<Rule> rules) throws CgroupException {
            Emulator e = new Emulator();
            for (Rule r : rules) {
                e.apply(r);
            }
            return e;
        }

        /** A blacklist with no exceptions: what a fresh v1 devices cgroup is. */
        static Emulator allowAll() {
            Emulator e = new Emulator();
            e.defaultAllow = true;
            return e;
        }

        boolean defaultAllow() {
            return defaultAllow;
        }

        Map<Key, Integer> exceptions() {
            return java.util.Collections.unmodifiableMap(exceptions);
        }

        /** Applies one devices.allow (rule.allow) or devices.deny write. */
        void apply(Rule rule) throws CgroupException {
            if (rule.type() == 'a') {
                // a wildcard allow or deny resets the cgroup to that default with no exceptions
                defaultAllow = rule.allow();
                exceptions.clear();
                return;
            }
            if (rule.type() != 'b' && rule.type() != 'c') {
                throw new CgroupException(REASON + ": invalid device type '" + rule.type() + "'");
            }
            if (rule.access() == 0) {
                return; // an access of only "a": no exception to add or take away
            }
            Key key = new Key(rule.type(), rule.major(), rule.minor());
            if (rule.allow() == defaultAllow) {
                remove(key, rule);
            } else {
                Integer had = exceptions.get(key);
                exceptions.put(key, had == null ? rule.access() : had | rule.access());
            }
        }

        private void remove(Key key, Rule rule) throws CgroupException {
            // The kernel only removes an exact exception; removing part of a wildcard exception
            // is silently ignored by it, which would leave access the user meant to take away.
            for (Key partial : List.of(new Key(key.type(), ANY, key.minor()), new Key(key.type(), key.major(), ANY),
                    new Key(key.type(), ANY, ANY))) {
                if (partial.equals(key)) {
                    continue;
                }
                Integer perms = exceptions.get(partial);
                if (perms != null && (perms & rule.access()) != 0) {
                    throw new CgroupException(REASON + ": the rule \"" + rule + "\" cannot be enforced: it would punch a hole"
                            + " in the wildcard rule \"" + (defaultAllow ? "deny " : "allow ")
                            + new Rule(partial.type(), partial.major(), partial.minor(), perms, !defaultAllow).cgroupString()
                            + "\", which the devices cgroup does not support");
                }
            }
            Integer old = exceptions.get(key);
            if (old != null) {
                int left = old & ~rule.access();
                if (left == 0) {
                    exceptions.remove(key);
                } else {
                    exceptions.put(key, left);
                }
            }
        }

        /**
         * The emulator of a devices.list: "a *:* rwm" means a blacklist whose deny exceptions
         * cannot be known; otherwise a whitelist of the listed rules.
         */
        static Emulator fromList(String list) throws CgroupException {
            Emulator e = new Emulator();
            for (String line : list.split("\n")) {
                line = line.trim();
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("[ :]");
                if (f.length != 4) {
                    throw new CgroupException("malformed devices.list line \"" + line + "\"");
                }
                char type = f[0].length() == 1 ? f[0].charAt(0) : '?';
                int access;
                try {
                    access = parseAccess(f[3]);
                } catch (IllegalArgumentException ex) {
                    throw new CgroupException("malformed devices.list line \"" + line + "\": " + ex.getMessage());
                }
                if (type == 'a') {
                    e.apply(new Rule('a', ANY, ANY, RWM, true));
                    continue;
                }
                if (type != 'b' && type != 'c') {
                    throw new CgroupException("malformed devices.list line \"" + line + "\": unknown device type");
                }
                try {
                    long major = f[1].equals("*") ? ANY : Long.parseLong(f[1]);
                    long minor = f[2].equals("*") ? ANY : Long.parseLong(f[2]);
                    e.apply(new Rule(type, major, minor, access, true));
                } catch (NumberFormatException ex) {
                    throw new CgroupException("malformed devices.list line \"" + line + "\"");
                }
            }
            return e;
        }

        /**
         * The fewest writes that take a cgroup in this state to {@code target}, in runc's
         * order: a disruptive "a *:* rwm" reset only when the default policy changes or this
         * state is a blacklist (whose deny exceptions devices.list cannot show), then the
         * removal of exceptions that went away, then the new ones, each in (major, minor,
         * type) order.
         */
        List<Rule> transition(Emulator target) {
            List<Rule> out = new ArrayList<>();
            Map<Key, Integer> old = exceptions;
            if (defaultAllow || defaultAllow != target.defaultAllow) {
                out.add(new Rule('a', ANY, ANY, RWM, target.defaultAllow));
                old = Map.of();
            }
            for (Map.Entry<Key, Integer> e : old.entrySet()) {
                int dropped = e.getValue() & ~target.exceptions.getOrDefault(e.getKey(), 0);
                if (dropped != 0) {
                    Key k = e.getKey();
                    out.add(new Rule(k.type(), k.major(), k.minor(), dropped, target.defaultAllow));
                }
            }
            for (Map.Entry<Key, Integer> e : target.exceptions.entrySet()) {
                int gained = e.getValue() & ~old.getOrDefault(e.getKey(), 0);
                if (gained != 0) {
                    Key k = e.getKey();
                    out.add(new Rule(k.type(), k.major(), k.minor(), gained, !target.defaultAllow));
                }
            }
            return out;
        }

        /** The rules that build this state from a deny-all cgroup (no reset for a whitelist). */
        List<Rule> rules() {
            return new Emulator().transition(this);
        }
    }
}
