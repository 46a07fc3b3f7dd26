package dev.jrun.runtime.cgroups;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates the cgroup v2 device filter: an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE
 * that the kernel runs on every open/mknod of a device node by a process of the cgroup.
 * It returns 1 to allow and 0 to deny.  Pure: it only produces instruction bytes (see
 * {@code dev.jrun.runtime.linux.Bpf} for loading them).
 *
 * <p>The rules first go through {@link DeviceAllowList.Emulator}, so the program enforces exactly
 * what the v1 devices cgroup would.  The program then is:
 *
 * <pre>
 *   r2 = ctx-&gt;access_type &amp; 0xffff     device type (BPF_DEVCG_DEV_BLOCK 1, _CHAR 2)
 *   r3 = ctx-&gt;access_type &gt;&gt; 16        requested access (MKNOD 1, READ 2, WRITE 4)
 *   r4 = ctx-&gt;major
 *   r5 = ctx-&gt;minor
 *   one block per exception: if type, access, major and minor match, return the exception's
 *   verdict; otherwise fall through to the next block
 *   return the default verdict
 * </pre>
 *
 * <p>"Access matches" follows the v1 kernel (devcgroup_check_permission): in a default-deny
 * program an allow exception must grant every requested access (as runc's filter checks);
 * in a default-allow program a deny exception denies a request that asks for any of its
 * accesses, where runc's filter would deny only a request entirely within them (so "deny
 * c 10:229 w" lets a read-write open through under runc's filter but not under v1 or here).
 *
 * Instructions are encoded little-endian (x86_64, aarch64).
 */
final class DeviceFilter {
    /** The license string passed to BPF_PROG_LOAD (the program calls no GPL-only helper). */
    static final String LICENSE = "Apache";

    // instruction classes, sizes, modes, operations and sources of the eBPF encoding
    private static final int BPF_LDX = 0x01;
    private static final int BPF_ALU = 0x04;
    private static final int BPF_JMP = 0x05;
    private static final int BPF_W = 0x00;
    private static final int BPF_MEM = 0x60;
    private static final int BPF_K = 0x00;
    private static final int BPF_X = 0x08;
    private static final int BPF_AND = 0x50;
    private static final int BPF_RSH = 0x70;
    private static final int BPF_MOV = 0xb0;
    private static final int BPF_JEQ = 0x10;
    private static final int BPF_JNE = 0x50;
    private static final int BPF_EXIT = 0x90;

    private static final int DEV_BLOCK = 1;
    private static final int DEV_CHAR = 2;
    private static final int ACC_MKNOD = 1;
    private static final int ACC_READ = 2;
    private static final int ACC_WRITE = 4;

    private DeviceFilter() {
    }

    /** One eBPF instruction; {@code off} of a jump is relative to the next instruction. */
    record Insn(int op, int dst, int src, int off, int imm) {
    }

    /** The program for a rule list (config rules then defaults, as {@link DeviceAllowList#forContainer}). */
    static byte[] generate(List<DeviceAllowList.Rule> rules) throws CgroupException {
        return encode(program(DeviceAllowList.Emulator.of(rules)));
    }

    /** The program enforcing an emulated devices-cgroup state. */
    static List<Insn> program(DeviceAllowList.Emulator state) throws CgroupException {
        List<Insn> out = new ArrayList<>();
        out.add(new Insn(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0));
        out.add(new Insn(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xFFFF));
        out.add(new Insn(BPF_LDX | BPF_MEM | BPF_W, 3, 1, 0, 0));
        out.add(new Insn(BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16));
        out.add(new Insn(BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0));
        out.add(new Insn(BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0));
        List<DeviceAllowList.Rule> clean = state.rules();
        for (int i = 0; i < clean.size(); i++) {
            DeviceAllowList.Rule r = clean.get(i);
            if (r.type() == 'a') {
                // only a leading reset to allow-all can appear: it is the default verdict below
                if (i != 0 || r.allow() != state.defaultAllow()) {
                    throw new CgroupException("internal error: unexpected wildcard device rule " + r);
                }
                continue;
            }
            if (r.allow() == state.defaultAllow()) {
                throw new CgroupException("internal error: device rule " + r + " has the default verdict");
            }
            block(out, r);
        }
        out.add(new Insn(BPF_ALU | BPF_MOV | BPF_K, 0, 0, 0, state.defaultAllow() ? 1 : 0));
        out.add(new Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
        return out;
    }

    private static void block(List<Insn> out, DeviceAllowList.Rule r) throws CgroupException {
        int type = r.type() == 'c' ? DEV_CHAR : DEV_BLOCK;
        int access = ((r.access() & DeviceAllowList.READ) != 0 ? ACC_READ : 0)
                | ((r.access() & DeviceAllowList.WRITE) != 0 ? ACC_WRITE : 0)
                | ((r.access() & DeviceAllowList.MKNOD) != 0 ? ACC_MKNOD : 0);
        // the jumps compare the zero-extended 32-bit loads with a sign-extended immediate:
        // numbers of 2^31 and above could never match (no real device has one)
        for (long n : new long[] {r.major(), r.minor()}) {
            if (n > Integer.MAX_VALUE) {
                throw new CgroupException(DeviceAllowList.REASON + ": device number " + n
                        + " is out of range for the cgroup v2 device filter (at most 2147483647)");
            }
        }
        List<Insn> b = new ArrayList<>();
        b.add(new Insn(BPF_JMP | BPF_JNE | BPF_K, 2, 0, -1, type));
        if (access != (ACC_READ | ACC_WRITE | ACC_MKNOD)) {
            b.add(new Insn(BPF_ALU | BPF_MOV | BPF_X, 1, 3, 0, 0));
            b.add(new Insn(BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, access));
            if (r.allow()) {
                // an allow exception must grant all of the request: (r3 & access) == r3
                b.add(new Insn(BPF_JMP | BPF_JNE | BPF_X, 1, 3, -1, 0));
            } else {
                // a deny exception denies a request it overlaps at all: (r3 & access) != 0
                b.add(new Insn(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, -1, 0));
            }
        }
        if (r.major() != DeviceAllowList.ANY) {
            b.add(new Insn(BPF_JMP | BPF_JNE | BPF_K, 4, 0, -1, (int) r.major()));
        }
        if (r.minor() != DeviceAllowList.ANY) {
            b.add(new Insn(BPF_JMP | BPF_JNE | BPF_K, 5, 0, -1, (int) r.minor()));
        }
        b.add(new Insn(BPF_ALU | BPF_MOV | BPF_K, 0, 0, 0, r.allow() ? 1 : 0));
        b.add(new Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
        // every "no match" jump goes to the first instruction after this block
        for (int i = 0; i < b.size(); i++) {
            Insn in = b.get(i);
            if (in.off() == -1) {
                b.set(i, new Insn(in.op(), in.dst(), in.src(), b.size() - (i + 1), in.imm()));
            }
        }
        out.addAll(b);
    }

    static byte[] encode(List<Insn> insns) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(insns.size() * 8);
        for (Insn in : insns) {
            buf.write(in.op());
            buf.write((in.src() << 4) | in.dst());
            buf.write(in.off() & 0xFF);
            buf.write((in.off() >> 8) & 0xFF);
            buf.write(in.imm() & 0xFF);
            buf.write((in.imm() >> 8) & 0xFF);
            buf.write((in.imm() >> 16) & 0xFF);
            buf.write((in.imm() >> 24) & 0xFF);
        }
        return buf.toByteArray();
    }

    static List<Insn> decode(byte[] code) {
        if (code.length % 8 != 0) {
            throw new IllegalArgumentException("eBPF code length " + code.length + " is not a multiple of 8");
        }
        List<Insn> out = new ArrayList<>();
        for (int p = 0; p < code.length; p += 8) {
            int op = code[p] & 0xFF;
            int regs = code[p + 1] & 0xFF;
            int off = (short) ((code[p + 2] & 0xFF) | (code[p + 3] << 8));
            int imm = (code[p + 4] & 0xFF) | (code[p + 5] & 0xFF) << 8 | (code[p + 6] & 0xFF) << 16 | code[p + 7] << 24;
            out.add(new Insn(op, regs & 0xF, regs >> 4, off, imm));
        }
        return out;
    }

    /** A bpftool-like listing of the instructions this class emits, one per line. */
    static String disassemble(byte[] code) {
        StringBuilder sb = new StringBuilder();
        List<Insn> insns = decode(code);
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            String text;
            switch (in.op()) {
                case BPF_LDX | BPF_MEM | BPF_W:
                    text = "r" + in.dst() + " = *(u32 *)(r" + in.src() + " + " + in.off() + ")";
                    break;
                case BPF_ALU | BPF_AND | BPF_K:
                    text = "w" + in.dst() + " &= " + hex(in.imm());
                    break;
                case BPF_ALU | BPF_RSH | BPF_K:
                    text = "w" + in.dst() + " >>= " + in.imm();
                    break;
                case BPF_ALU | BPF_MOV | BPF_K:
                    text = "w" + in.dst() + " = " + in.imm();
                    break;
                case BPF_ALU | BPF_MOV | BPF_X:
                    text = "w" + in.dst() + " = w" + in.src();
                    break;
                case BPF_JMP | BPF_JNE | BPF_K:
                    text = "if r" + in.dst() + " != " + hex(in.imm()) + " goto " + (i + 1 + in.off());
                    break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                    text = "if r" + in.dst() + " == " + hex(in.imm()) + " goto " + (i + 1 + in.off());
                    break;
                case BPF_JMP | BPF_JNE | BPF_X:
                    text = "if r" + in.dst() + " != r" + in.src() + " goto " + (i + 1 + in.off());
                    break;
                case BPF_JMP | BPF_EXIT:
                    text = "exit";
                    break;
                default:
                    text = String.format(Locale.ROOT, "op=0x%02x dst=r%d src=r%d off=%d imm=%d", in.op(), in.dst(),
                            in.src(), in.off(), in.imm());
            }
            sb.append(String.format(Locale.ROOT, "%3d: %s\n", i, text));
        }
        return sb.toString();
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
