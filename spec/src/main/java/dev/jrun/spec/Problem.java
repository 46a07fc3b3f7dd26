package dev.jrun.spec;

/**
 * One thing wrong with a document, e.g. {@code config.json: process.args: must not be empty}.
 *
 * @param source the file it came from, e.g. {@code config.json}
 * @param path where in the document, e.g. {@code linux.namespaces[2].type}; {@code null} for the
 *     document as a whole (a syntax error, a missing file)
 * @param message what is wrong
 */
public record Problem(String source, String path, String message) {

    /** {@code source: path: message}, leaving out the parts that are absent. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            sb.append(source).append(": ");
        }
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
