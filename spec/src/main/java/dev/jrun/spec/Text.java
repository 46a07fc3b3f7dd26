package dev.jrun.spec;

/** How values from a config or the command line appear in messages. */
public final class Text {
    private static final int LIMIT = 200;
    private static final int KEEP = 120;

    private Text() {
    }

    /**
     * The value itself when it is of a readable length; otherwise its start and its length, so
     * a 100,000-character field does not bury the reason that follows it.
     */
    public static String abbreviate(String s) {
        if (s == null || s.length() <= LIMIT) {
            return s;
        }
        return s.substring(0, KEEP) + "…(" + s.length() + " characters)";
    }

    /** A message with every overlong word (a value without spaces: a path, a hostname) abbreviated. */
    public static String abbreviateWords(String message) {
        if (message == null || message.length() <= LIMIT) {
            return message;
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), 4096));
        int start = 0;
        for (int i = 0; i <= message.length(); i++) {
            if (i == message.length() || Character.isWhitespace(message.charAt(i))) {
                String word = message.substring(start, i);
                boolean colon = word.endsWith(":");
                out.append(abbreviate(colon ? word.substring(0, word.length() - 1) : word)).append(colon ? ":" : "");
                if (i < message.length()) {
                    out.append(message.charAt(i));
                }
                start = i + 1;
            }
        }
        return out.toString();
    }
}
