package dev.jrun.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One classic BPF instruction, {@code struct sock_filter}: 16-bit code, jump offsets (counted
 * from the next instruction) if true and if false, and the constant k.  seccomp loads them in
 * the machine's byte order, which is how libseccomp exports them.
 */
public record Insn(int code, int jt, int jf, int k) {
    public static final int SIZE = 8;

    // instruction classes and fields (linux/bpf_common.h)
    static final int BPF_LD = 0x00;
    static final int BPF_LDX = 0x01;
    static final int BPF_ST = 0x02;
    static final int BPF_STX = 0x03;
    static final int BPF_ALU = 0x04;
    static final int BPF_JMP = 0x05;
    static final int BPF_RET = 0x06;
    static final int BPF_MISC = 0x07;
    static final int BPF_W = 0x00;
    static final int BPF_ABS = 0x20;
    static final int BPF_IMM = 0x00;
    static final int BPF_MEM = 0x60;
    static final int BPF_JA = 0x00;
    static final int BPF_JEQ = 0x10;
    static final int BPF_JGT = 0x20;
    static final int BPF_JGE = 0x30;
    static final int BPF_JSET = 0x40;
    static final int BPF_K = 0x00;
    static final int BPF_X = 0x08;
    static final int BPF_A = 0x10;

    /** The kernel's limit on a filter's length (BPF_MAXINSNS). */
    public static final int MAX_PROGRAM = 4096;

    public Insn {
        if ((code & ~0xffff) != 0 || (jt & ~0xff) != 0 || (jf & ~0xff) != 0) {
            throw new IllegalArgumentException("not a BPF instruction: " + code + "," + jt + "," + jf);
        }
    }

    /** A = seccomp_data word at offset. */
    static Insn loadWord(int offset) {
        return new Insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, offset);
    }

    static Insn ret(int k) {
        return new Insn(BPF_RET | BPF_K, 0, 0, k);
    }

    static Insn jumpAlways(int offset) {
        return new Insn(BPF_JMP | BPF_JA, 0, 0, offset);
    }

    /** Whether this is a conditional jump (jt and jf are offsets). */
    boolean isConditional() {
        return (code & 0x07) == BPF_JMP && (code & 0xf0) != BPF_JA;
    }

    boolean isJumpAlways() {
        return code == (BPF_JMP | BPF_JA);
    }

    public static byte[] encode(List<Insn> program) {
        ByteBuffer b = ByteBuffer.allocate(program.size() * SIZE).order(ByteOrder.nativeOrder());
        for (Insn i : program) {
            b.putShort((short) i.code).put((byte) i.jt).put((byte) i.jf).putInt(i.k);
        }
        return b.array();
    }

    public static List<Insn> decode(byte[] bytes) {
        if (bytes.length % SIZE != 0) {
            throw new IllegalArgumentException("a BPF program is a multiple of " + SIZE + " bytes, not " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        List<Insn> program = new ArrayList<>(bytes.length / SIZE);
        while (b.hasRemaining()) {
            int code = b.getShort() & 0xffff;
            int jt = b.get() & 0xff;
            int jf = b.get() & 0xff;
            program.add(new Insn(code, jt, jf, b.getInt()));
        }
        return program;
    }

    /**
     * Checks that every jump of the program lands inside it and that it ends in a return, as
     * the kernel's checker will; returns null when it does, else what is wrong.
     */
    public static String check(List<Insn> program) {
        if (program.isEmpty() || program.size() > MAX_PROGRAM) {
            return "a program has 1 to " + MAX_PROGRAM + " instructions, not " + program.size();
        }
        for (int pc = 0; pc < program.size(); pc++) {
            Insn i = program.get(pc);
            long next = pc + 1L;
            if (i.isJumpAlways() && next + Integer.toUnsignedLong(i.k) >= program.size()) {
                return "instruction " + pc + " jumps past the end";
            }
            if (i.isConditional() && (next + i.jt >= program.size() || next + i.jf >= program.size())) {
                return "instruction " + pc + " jumps past the end";
            }
        }
        if ((program.get(program.size() - 1).code & 0x07) != BPF_RET) {
            return "the program does not end in a return";
        }
        return null;
    }

    /** A listing, one instruction a line, jump targets as absolute instruction numbers. */
    public static String disassemble(List<Insn> program) {
        StringBuilder sb = new StringBuilder();
        for (int pc = 0; pc < program.size(); pc++) {
            sb.append(String.format("%4d  %s%n", pc, program.get(pc).toString(pc)));
        }
        return sb.toString();
    }

    /** This instruction in words, at position pc (for jump targets). */
    public String toString(int pc) {
        int next = pc + 1;
        String kHex = "0x" + Integer.toHexString(k);
        int cls = code & 0x07;
        switch (cls) {
            case BPF_LD:
                if ((code & 0xe0) == BPF_ABS && (code & 0x18) == BPF_W) {
                    return "ld  [" + k + "]";
                }
                if ((code & 0xe0) == BPF_MEM) {
                    return "ld  M[" + k + "]";
                }
                if ((code & 0xe0) == BPF_IMM) {
                    return "ld  #" + kHex;
                }
                break;
            case BPF_LDX:
                if ((code & 0xe0) == BPF_MEM) {
                    return "ldx M[" + k + "]";
                }
                if ((code & 0xe0) == BPF_IMM) {
                    return "ldx #" + kHex;
                }
                break;
            case BPF_ST:
                return "st  M[" + k + "]";
            case BPF_STX:
                return "stx M[" + k + "]";
            case BPF_ALU: {
                String[] ops = {"add", "sub", "mul", "div", "or", "and", "lsh", "rsh", "neg", "mod", "xor"};
                int op = (code & 0xf0) >> 4;
                String name = op < ops.length ? ops[op] : "alu" + op;
                return name + " " + ((code & BPF_X) != 0 ? "x" : "#" + kHex);
            }
            case BPF_JMP: {
                if ((code & 0xf0) == BPF_JA) {
                    return "ja  " + (next + Integer.toUnsignedLong(k));
                }
                String[] ops = {"ja", "jeq", "jgt", "jge", "jset"};
                int op = (code & 0xf0) >> 4;
                String name = op < ops.length ? ops[op] : "jmp" + op;
                String operand = (code & BPF_X) != 0 ? "x" : "#" + kHex;
                return name + " " + operand + " jt " + (next + jt) + " jf " + (next + jf);
            }
            case BPF_RET:
                return "ret " + ((code & 0x18) == BPF_A ? "a" : "#" + kHex);
            case BPF_MISC:
                return (code & 0xf8) == 0 ? "tax" : "txa";
            default:
                break;
        }
        return String.format("code 0x%04x jt %d jf %d k %s", code, jt, jf, kHex);
    }
}
