package dev.jrun.runtime.cgroups;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reading the statistics files of a cgroup, with the leniency of runc's fscommon: a missing file
 * reads as nothing (kernels differ in what they have), a malformed one is an error naming it.
 */
final class StatsFiles {
    /** "max" in a cgroup file: Go's math.MaxUint64. */
    static final long MAX = -1L;

    private StatsFiles() {
    }

    static String readOrNull(Path dir, String file) throws CgroupException {
        try {
            return Files.readString(dir.resolve(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CgroupException("read " + dir.resolve(file) + ": " + Cgroups.reason(e), e);
        }
    }

    /** A single number; "max" is 2^64-1; a missing file reads as 0, as runc ignores those. */
    static long uint(Path dir, String file) throws CgroupException {
        String s = readOrNull(dir, file);
        if (s == null) {
            return 0;
        }
        s = s.trim();
        return s.equals("max") ? MAX : parseUint(s, dir, file);
    }

    static long integer(Path dir, String file) throws CgroupException {
        String s = readOrNull(dir, file);
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw malformed(dir, file, s);
        }
    }

    /** fscommon.ParseUint: negative numbers (v1's -1 "no limit" in some files) read as 0. */
    static long parseUint(String s, Path dir, String file) throws CgroupException {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            try {
                if (Long.parseLong(s) < 0) {
                    return 0;
                }
            } catch (NumberFormatException e2) {
                if (s.matches("-[0-9]+")) {
                    return 0;
                }
            }
            throw malformed(dir, file, s);
        }
    }

    /** "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control). */
    static Map<String, Long> keyValues(Path dir, String file) throws CgroupException {
        Map<String, Long> out = new LinkedHashMap<>();
        String text = readOrNull(dir, file);
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp == line.length() - 1) {
                throw malformed(dir, file, line);
            }
            out.put(line.substring(0, sp), parseUint(line.substring(sp + 1).trim(), dir, file));
        }
        return out;
    }

    /** The page sizes a hugetlb directory has files for (2MB, 1GB, ...). */
    static List<String> pageSizes(Path d, String suffix) throws CgroupException {
        TreeSet<String> sizes = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "hugetlb.*" + suffix)) {
            for (Path f : ds) {
                String name = f.getFileName().toString();
                String size = name.substring("hugetlb.".length(), name.length() - suffix.length());
                if (!size.contains(".")) {
                    sizes.add(size);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new CgroupException("list " + d + ": " + Cgroups.reason(e), e);
        }
        return new ArrayList<>(sizes);
    }

    static CgroupException malformed(Path dir, String file, String what) {
        return new CgroupException("parse " + dir.resolve(file) + ": unexpected \"" + what.trim() + "\"");
    }
}
