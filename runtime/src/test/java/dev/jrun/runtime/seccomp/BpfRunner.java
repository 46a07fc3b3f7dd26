package dev.jrun.runtime.seccomp;

import java.util.List;

/** Runs a seccomp classic-BPF program on one seccomp_data, as the kernel would (little endian). */
final class BpfRunner {
    private BpfRunner() {
    }

    static int run(List<Insn> program, int nr, int arch, long... args) {
        int[] data = new int[16];
        data[0] = nr;
        data[1] = arch;
        for (int i = 0; i < args.length; i++) {
            data[4 + 2 * i] = (int) args[i];
            data[5 + 2 * i] = (int) (args[i] >>> 32);
        }
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        int pc = 0;
        for (int steps = 0; steps < 100_000; steps++) {
            Insn i = program.get(pc);
            int code = i.code();
            int cls = code & 0x07;
            pc++;
            switch (cls) {
                case Insn.BPF_LD -> {
                    int mode = code & 0xe0;
                    if (mode == Insn.BPF_ABS) {
                        a = data[i.k() / 4];
                    } else if (mode == Insn.BPF_MEM) {
                        a = mem[i.k()];
                    } else if (mode == Insn.BPF_IMM) {
                        a = i.k();
                    } else {
                        throw new IllegalStateException("ld mode " + mode);
                    }
                }
                case Insn.BPF_LDX -> x = (code & 0xe0) == Insn.BPF_MEM ? mem[i.k()] : i.k();
                case Insn.BPF_ST -> mem[i.k()] = a;
                case Insn.BPF_STX -> mem[i.k()] = x;
                case Insn.BPF_ALU -> {
                    int operand = (code & Insn.BPF_X) != 0 ? x : i.k();
                    a = switch (code & 0xf0) {
                        case 0x00 -> a + operand;
                        case 0x10 -> a - operand;
                        case 0x20 -> a * operand;
                        case 0x40 -> a | operand;
                        case 0x50 -> a & operand;
                        case 0x60 -> a << operand;
                        case 0x70 -> a >>> operand;
                        case 0x80 -> -a;
                        case 0xa0 -> a ^ operand;
                        default -> throw new IllegalStateException("alu " + code);
                    };
                }
                case Insn.BPF_JMP -> {
                    int op = code & 0xf0;
                    if (op == Insn.BPF_JA) {
                        pc += i.k();
                        break;
                    }
                    int operand = (code & Insn.BPF_X) != 0 ? x : i.k();
                    boolean taken = switch (op) {
                        case Insn.BPF_JEQ -> a == operand;
                        case Insn.BPF_JGT -> Integer.compareUnsigned(a, operand) > 0;
                        case Insn.BPF_JGE -> Integer.compareUnsigned(a, operand) >= 0;
                        case Insn.BPF_JSET -> (a & operand) != 0;
                        default -> throw new IllegalStateException("jmp " + code);
                    };
                    pc += taken ? i.jt() : i.jf();
                }
                case Insn.BPF_RET -> {
                    return (code & 0x18) == Insn.BPF_A ? a : i.k();
                }
                case Insn.BPF_MISC -> {
                    if ((code & 0xf8) == 0) {
                        x = a;
                    } else {
                        a = x;
                    }
                }
                default -> throw new IllegalStateException("class " + cls);
            }
        }
        throw new IllegalStateException("program did not return");
    }
}
