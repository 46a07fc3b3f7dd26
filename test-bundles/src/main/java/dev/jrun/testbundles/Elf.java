package dev.jrun.testbundles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Just enough ELF parsing to tell a static executable from one that needs a dynamic loader. */
final class Elf {

    private static final int PT_INTERP = 3;

    private Elf() {}

    /** Whether the file starts with the ELF magic. */
    static boolean isElf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
            return b.position() == 4 && b.get(0) == 0x7f && b.get(1) == 'E' && b.get(2) == 'L' && b.get(3) == 'F';
        }
    }

    /**
     * Whether the ELF file has a PT_INTERP program header (it needs a dynamic loader, so it cannot
     * run in a rootfs without libc).
     *
     * @throws IOException if the file is not a well-formed ELF file
     */
    static boolean hasInterpreter(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 64);
            if (h.get(0) != 0x7f || h.get(1) != 'E' || h.get(2) != 'L' || h.get(3) != 'F') {
                throw new IOException(file + " is not an ELF file");
            }
            boolean is64 = switch (h.get(4)) {
                case 1 -> false;
                case 2 -> true;
                default -> throw new IOException(file + ": unknown ELF class " + h.get(4));
            };
            ByteOrder order = switch (h.get(5)) {
                case 1 -> ByteOrder.LITTLE_ENDIAN;
                case 2 -> ByteOrder.BIG_ENDIAN;
                default -> throw new IOException(file + ": unknown ELF data encoding " + h.get(5));
            };
            h.order(order);
            long phoff = is64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
            int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(h.getShort(is64 ? 56 : 44));
            if (phnum > 0 && phentsize < 4) {
                throw new IOException(file + ": bad ELF program header size " + phentsize);
            }
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(ch, phoff + (long) i * phentsize, 4).order(order);
                if (ph.getInt(0) == PT_INTERP) {
                    return true;
                }
            }
            return false;
        }
    }

    private static ByteBuffer read(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = ch.read(b, offset + b.position());
            if (n < 0) {
                throw new IOException("truncated ELF file");
            }
        }
        return b;
    }
}
