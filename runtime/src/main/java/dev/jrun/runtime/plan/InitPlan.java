package dev.jrun.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The ordered steps jrun-init performs, and their binary form for the sync socket. */
public record InitPlan(List<Step> steps) {
    public InitPlan {
        steps = List.copyOf(steps);
    }

    public String describe(int stepIndex) {
        return stepIndex >= 0 && stepIndex < steps.size() ? steps.get(stepIndex).description() : "set up the container";
    }

    /** The layout is documented in protocol.h. */
    public byte[] encode() {
        Encoder out = new Encoder();
        out.raw("JRP1".getBytes(StandardCharsets.US_ASCII));
        out.u32(steps.size());
        for (Step step : steps) {
            out.u16(step.op().code);
            out.u16(step.args().size());
            for (Object arg : step.args()) {
                out.arg(arg);
            }
        }
        return out.bytes();
    }

    /** Human-readable listing, one step per line; golden plan tests compare this. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Step step : steps) {
            sb.append(step.op());
            for (Object arg : step.args()) {
                sb.append(' ').append(renderArg(arg));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String renderArg(Object arg) {
        if (arg instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (arg instanceof byte[] b) {
            StringBuilder hex = new StringBuilder("0x");
            for (byte x : b) {
                hex.append(String.format("%02x", x & 0xff));
            }
            return b.length > 64 ? "<" + b.length + " bytes>" : hex.toString();
        }
        if (arg instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(renderArg(list.get(i)));
            }
            return sb.append(']').toString();
        }
        if (arg instanceof Long l && (l > 0xffff || l < -1)) {
            return "0x" + Long.toHexString(l);
        }
        return String.valueOf(arg);
    }

    private static final class Encoder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void raw(byte[] b) {
            out.writeBytes(b);
        }

        void u16(int v) {
            scratch.clear();
            scratch.putShort((short) v);
            out.write(scratch.array(), 0, 2);
        }

        void u32(int v) {
            scratch.clear();
            scratch.putInt(v);
            out.write(scratch.array(), 0, 4);
        }

        void i64(long v) {
            scratch.clear();
            scratch.putLong(v);
            out.write(scratch.array(), 0, 8);
        }

        void blob(byte[] b) {
            u32(b.length);
            raw(b);
        }

        void arg(Object arg) {
            if (arg instanceof Long l) {
                out.write('i');
                i64(l);
            } else if (arg instanceof Integer i) {
                out.write('i');
                i64(i);
            } else if (arg instanceof String s) {
                out.write('s');
                blob(s.getBytes(StandardCharsets.UTF_8));
            } else if (arg instanceof byte[] b) {
                out.write('s');
                blob(b);
            } else if (arg instanceof List<?> list) {
                out.write('v');
                u32(list.size());
                for (Object item : list) {
                    blob(((String) item).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                throw new IllegalArgumentException("unsupported plan argument " + arg);
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
