package dev.jrun.spec.linux;

/**
 * The access of a devices cgroup rule ({@code linux.resources.devices[].access}): the letters
 * r (read), w (write) and m (mknod), in any order.  runc also takes an "a" among them, as in
 * "rwa", and it adds no access: the kernel knows no such mode, and runc drops it before a
 * rule reaches the kernel.  This is the one rule of what an access string may hold, for
 * validation and for the devices cgroup drivers.
 */
public final class DeviceAccess {
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int MKNOD = 4;
    public static final int ALL = READ | WRITE | MKNOD;

    private DeviceAccess() {
    }

    /**
     * The modes of an access string; "" and a string of only "a" give none.
     *
     * @throws IllegalArgumentException naming the first letter that is not r, w, m or a
     */
    public static int parse(String access) {
        int modes = 0;
        for (int i = 0; i < access.length(); i++) {
            char c = access.charAt(i);
            switch (c) {
                case 'r' -> modes |= READ;
                case 'w' -> modes |= WRITE;
                case 'm' -> modes |= MKNOD;
                case 'a' -> {
                    // no mode of its own; see the class comment
                }
                default -> throw new IllegalArgumentException("unknown device access '" + c + "'");
            }
        }
        return modes;
    }

    /** Why {@code access} is not an access string, or null if it is one. */
    public static String problem(String access) {
        try {
            parse(access);
            return null;
        } catch (IllegalArgumentException e) {
            return "must contain only the letters r, w and m (and a, which adds nothing)";
        }
    }

    /** The modes as the kernel writes them: "rwm", "rw", "m", ... */
    public static String format(int modes) {
        StringBuilder sb = new StringBuilder(3);
        if ((modes & READ) != 0) {
            sb.append('r');
        }
        if ((modes & WRITE) != 0) {
            sb.append('w');
        }
        if ((modes & MKNOD) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }
}
