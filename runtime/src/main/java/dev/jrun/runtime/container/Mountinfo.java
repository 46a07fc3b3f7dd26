package dev.jrun.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Lookups in /proc/self/mountinfo. */
final class Mountinfo {
    private Mountinfo() {
    }

    /** Mount id to mount point, for every mount at or below dir. */
    static java.util.Map<String, String> mountsUnder(Path dir) throws IOException {
        Path real = dir.toRealPath();
        java.util.Map<String, String> mounts = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            String mp = unescape(f[4]);
            if (Path.of(mp).startsWith(real)) {
                mounts.put(f[0], mp);
            }
        }
        return mounts;
    }

    /** Whole (root "/") procfs and sysfs mounts whose mount point is not under dir, deepest first. */
    static java.util.List<String> fullProcAndSysMountsOutside(Path dir) throws IOException {
        Path real = dir.toRealPath();
        java.util.List<String> points = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (dash < 0 || dash + 1 >= f.length || !f[3].equals("/")) {
                continue;
            }
            String fstype = f[dash + 1];
            String mp = unescape(f[4]);
            if ((fstype.equals("proc") || fstype.equals("sysfs")) && !Path.of(mp).startsWith(real)) {
                points.add(mp);
            }
        }
        points.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return points;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The mount point of the mount that holds path (the longest mount point that is a prefix). */
    static String mountPointOf(Path path) throws IOException {
        Path real = path.toRealPath();
        String best = "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mp = unescape(line.split(" ")[4]);
            if (real.startsWith(mp) && mp.length() > best.length()) {
                best = mp;
            }
        }
        return best;
    }
}
