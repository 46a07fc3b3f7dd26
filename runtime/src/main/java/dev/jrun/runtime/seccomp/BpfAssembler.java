package dev.jrun.runtime.seccomp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small classic-BPF assembler with named, forward-only jump targets.  A conditional jump
 * holds its offsets in one byte each; when a target lies further away than that, the jump is
 * rewritten into the long form
 *
 * <pre>
 *     jxx #k, jt +0, jf +1     ; true: fall onto the next instruction
 *     ja  TRUE                 ; 32-bit offset
 *     ja  FALSE                ; only when FALSE is not the instruction after the group
 * </pre>
 *
 * and the layout is recomputed until every offset fits ("relaxation": a jump only ever grows,
 * so this ends).  A label placed after the last instruction names whatever will follow the
 * assembled code, such as the filter it is prepended to.
 */
final class BpfAssembler {
    private sealed interface Item permits Label, Plain, Cond, Always {
    }

    private record Label(String name) implements Item {
    }

    private record Plain(Insn insn) implements Item {
    }

    /** A conditional jump; a null target is the next instruction. */
    private record Cond(int code, int k, String ifTrue, String ifFalse) implements Item {
    }

    private record Always(String target) implements Item {
    }

    private final List<Item> items = new ArrayList<>();

    BpfAssembler label(String name) {
        items.add(new Label(name));
        return this;
    }

    BpfAssembler emit(Insn insn) {
        items.add(new Plain(insn));
        return this;
    }

    BpfAssembler loadWord(int offset) {
        return emit(Insn.loadWord(offset));
    }

    BpfAssembler ret(int k) {
        return emit(Insn.ret(k));
    }

    BpfAssembler jump(String target) {
        items.add(new Always(target));
        return this;
    }

    BpfAssembler jeq(int k, String ifTrue, String ifFalse) {
        return cond(Insn.BPF_JEQ, k, ifTrue, ifFalse);
    }

    BpfAssembler jgt(int k, String ifTrue, String ifFalse) {
        return cond(Insn.BPF_JGT, k, ifTrue, ifFalse);
    }

    BpfAssembler jset(int k, String ifTrue, String ifFalse) {
        return cond(Insn.BPF_JSET, k, ifTrue, ifFalse);
    }

    private BpfAssembler cond(int op, int k, String ifTrue, String ifFalse) {
        items.add(new Cond(Insn.BPF_JMP | op | Insn.BPF_K, k, ifTrue, ifFalse));
        return this;
    }

    /** The instructions, every jump resolved. */
    List<Insn> assemble() {
        boolean[] wide = new boolean[items.size()];
        while (true) {
            Map<String, Integer> at = layout(wide);
            boolean grew = false;
            int pc = 0;
            for (int n = 0; n < items.size(); n++) {
                Item item = items.get(n);
                if (item instanceof Cond c && !wide[n]) {
                    int t = offset(at, c.ifTrue(), pc);
                    int f = offset(at, c.ifFalse(), pc);
                    if (t > 255 || f > 255) {
                        wide[n] = true;
                        grew = true;
                    }
                }
                pc += size(item, wide[n]);
            }
            if (!grew) {
                return emit(at, wide);
            }
        }
    }

    private Map<String, Integer> layout(boolean[] wide) {
        Map<String, Integer> at = new HashMap<>();
        int pc = 0;
        for (int n = 0; n < items.size(); n++) {
            Item item = items.get(n);
            if (item instanceof Label l && at.put(l.name(), pc) != null) {
                throw new IllegalStateException("label " + l.name() + " defined twice");
            }
            pc += size(item, wide[n]);
        }
        return at;
    }

    private static int size(Item item, boolean wide) {
        if (item instanceof Label) {
            return 0;
        }
        if (item instanceof Cond c && wide) {
            return c.ifFalse() == null ? 2 : 3;
        }
        return 1;
    }

    /** Offset from the instruction after pc to target (null: the next instruction). */
    private static int offset(Map<String, Integer> at, String target, int pc) {
        if (target == null) {
            return 0;
        }
        Integer dest = at.get(target);
        if (dest == null) {
            throw new IllegalStateException("undefined label " + target);
        }
        int off = dest - (pc + 1);
        if (off < 0) {
            throw new IllegalStateException("backward jump to " + target + ": BPF jumps only forward");
        }
        return off;
    }

    private List<Insn> emit(Map<String, Integer> at, boolean[] wide) {
        List<Insn> out = new ArrayList<>();
        for (int n = 0; n < items.size(); n++) {
            Item item = items.get(n);
            int pc = out.size();
            if (item instanceof Plain p) {
                out.add(p.insn());
            } else if (item instanceof Always a) {
                out.add(Insn.jumpAlways(offset(at, a.target(), pc)));
            } else if (item instanceof Cond c) {
                if (!wide[n]) {
                    out.add(new Insn(c.code(), offset(at, c.ifTrue(), pc), offset(at, c.ifFalse(), pc), c.k()));
                } else {
                    out.add(new Insn(c.code(), 0, 1, c.k()));
                    out.add(Insn.jumpAlways(c.ifTrue() == null ? (c.ifFalse() == null ? 0 : 1)
                            : offset(at, c.ifTrue(), pc + 1)));
                    if (c.ifFalse() != null) {
                        out.add(Insn.jumpAlways(offset(at, c.ifFalse(), pc + 2)));
                    }
                }
            }
        }
        return out;
    }
}
