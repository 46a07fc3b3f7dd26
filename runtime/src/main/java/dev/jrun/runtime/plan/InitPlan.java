package dev.jrun.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The ordered steps jrun-init performs, and their binary form for the sync socket. */
public record InitPlan(List<Entry> entries) {
    public InitPlan {
        entries = List.copyOf(entries);
    }

    /**
     * A step and the sentence that names it when it fails ("mount /x on /b/rootfs/x"); where runc
     * explains a failure in a sentence of its own, that sentence replaces the whole message.
     */
    public record Entry(Step step, String description, Explained explained) {
        public Entry(Step step, String description) {
            this(step, description, null);
        }
    }

    /** runc's own sentence for a step that failed with one of these errnos. */
    public record Explained(String sentence, int... errnos) {
        // the kernel's numbers, as the executor reports them (the plan stays free of the native layer)
        static final int EPERM = 1;
        static final int ENOTDIR = 20;
        static final int EINVAL = 22;
        static final int ELOOP = 40;

        boolean covers(int errno) {
            for (int e : errnos) {
                if (e == errno) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The step at an index the executor reported, or null. */
    public Step step(int stepIndex) {
        return stepIndex >= 0 && stepIndex < entries.size() ? entries.get(stepIndex).step() : null;
    }

    /** runc's sentence for this step failing with errno, or null when the description and errno say it. */
    public String explain(int stepIndex, int errno) {
        Explained e = stepIndex >= 0 && stepIndex < entries.size() ? entries.get(stepIndex).explained() : null;
        return e != null && e.covers(errno) ? e.sentence() : null;
    }

    public String describe(int stepIndex) {
        return stepIndex >= 0 && stepIndex < entries.size() ? entries.get(stepIndex).description()
                : "set up the container";
    }

    /** The layout is documented in {@link dev.jrun.runtime.process.Wire}. */
    public byte[] encode() {
        Encoder out = new Encoder();
        out.raw("JRP2".getBytes(StandardCharsets.US_ASCII));
        out.u32(entries.size());
        for (Entry e : entries) {
            out.step(e.step());
        }
        return out.bytes();
    }

    /**
     * One step per line with its arguments by name, `MKNOD path="dev/null" mode=020666 ...`
     * style; golden plan tests and --debug show this.  Reflection is fine here: nothing on the
     * hot path renders a plan.
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(render(e.step())).append('\n');
        }
        return sb.toString();
    }

    static String render(Step step) {
        StringBuilder sb = new StringBuilder(step.op().name());
        for (RecordComponent c : step.getClass().getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(step);
                // file modes read as the octal everyone writes them in
                boolean octal = value instanceof Long && (c.getName().equals("mode") || c.getName().equals("mask"));
                sb.append(' ').append(c.getName()).append('=')
                        .append(octal ? "0" + Long.toOctalString((Long) value) : renderValue(value));
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return sb.toString();
    }

    private static String renderValue(Object v) {
        if (v instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (v instanceof byte[] b) {
            if (b.length > 64) {
                return "<" + b.length + " bytes>";
            }
            StringBuilder hex = new StringBuilder("0x");
            for (byte x : b) {
                hex.append(String.format("%02x", x & 0xff));
            }
            return hex.toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(renderValue(list.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Long l && (l > 0xffff || l < -1)) {
            return "0x" + Long.toHexString(l);
        }
        return String.valueOf(v);
    }

    /**
     * Per step: u16 op, u16 argc, then each argument as u8 kind 'i' (i64) | 's' (u32 length +
     * bytes) | 'v' (u32 count, then count × (u32 length + bytes)); little endian.
     */
    private static final class Encoder implements Step.Args {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private ByteArrayOutputStream args;
        private int argc;

        void step(Step step) {
            args = new ByteArrayOutputStream(256);
            argc = 0;
            step.encode(this);
            u16(out, step.op().code());
            u16(out, argc);
            out.writeBytes(args.toByteArray());
        }

        void raw(byte[] b) {
            out.writeBytes(b);
        }

        void u32(int v) {
            u32(out, v);
        }

        private void u16(ByteArrayOutputStream to, int v) {
            scratch.clear();
            scratch.putShort((short) v);
            to.write(scratch.array(), 0, 2);
        }

        private void u32(ByteArrayOutputStream to, int v) {
            scratch.clear();
            scratch.putInt(v);
            to.write(scratch.array(), 0, 4);
        }

        private void blob(byte[] b) {
            u32(args, b.length);
            args.writeBytes(b);
        }

        @Override
        public Step.Args i(long value) {
            argc++;
            args.write('i');
            scratch.clear();
            scratch.putLong(value);
            args.write(scratch.array(), 0, 8);
            return this;
        }

        @Override
        public Step.Args s(String value) {
            return bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Step.Args bytes(byte[] value) {
            argc++;
            args.write('s');
            blob(value);
            return this;
        }

        @Override
        public Step.Args v(List<String> values) {
            argc++;
            args.write('v');
            u32(args, values.size());
            for (String item : values) {
                blob(item.getBytes(StandardCharsets.UTF_8));
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
