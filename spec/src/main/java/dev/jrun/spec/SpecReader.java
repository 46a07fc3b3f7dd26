package dev.jrun.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jrun.spec.model.Features;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.State;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads runtime-spec documents. Every method either returns a complete record or throws a {@link
 * SpecException} listing every problem found: each wrong type or out-of-range value with its JSON
 * path, or the one syntax error with its line and column.
 *
 * <p>Decoding follows Go's encoding/json, which runc uses, so that jrun accepts what runc
 * accepts: unknown fields are ignored, keys match field names case-insensitively as a fallback,
 * {@code null} means absent, and anything after the first JSON value is ignored (runc reads with
 * {@code json.Decoder}, which stops there).
 *
 * <p>The methods taking a {@code fileName} use it only in messages.
 */
public final class SpecReader {
    private static final int SPEC = 0;
    private static final int PROCESS = 1;
    private static final int RESOURCES = 2;
    private static final int STATE = 3;
    private static final int FEATURES = 4;

    private SpecReader() {}

    /**
     * Reads a bundle's config.json and checks its {@code ociVersion}. Problems are reported
     * against the file name alone ({@code config.json: ...}).
     */
    public static Spec readConfig(Path configJson) throws SpecException {
        String name = String.valueOf(configJson.getFileName());
        byte[] json;
        try {
            json = Files.readAllBytes(configJson);
        } catch (NoSuchFileException e) {
            Path bundle = configJson.toAbsolutePath().getParent();
            throw new SpecException(new Problem(name, null, "no such file in bundle " + bundle));
        } catch (IOException e) {
            throw new SpecException(new Problem(name, null, ioMessage(e)));
        }
        return readConfig(json, name);
    }

    /** Decodes config.json content and checks its {@code ociVersion}. */
    public static Spec readConfig(byte[] json, String fileName) throws SpecException {
        List<Problem> problems = new ArrayList<>();
        Spec spec = (Spec) decode(json, fileName, SPEC, problems);
        if (spec != null && !hasProblemAt(problems, "ociVersion")) {
            String versionProblem = OciVersion.problem(spec.ociVersion());
            if (versionProblem != null) {
                problems.add(new Problem(fileName, "ociVersion", versionProblem));
            }
        }
        return (Spec) result(spec, problems);
    }

    /** Reads a standalone process object: the file of {@code exec --process}. */
    public static Process readProcess(Path file) throws SpecException {
        return readProcess(read(file), file.toString());
    }

    public static Process readProcess(byte[] json, String fileName) throws SpecException {
        return (Process) decodeOrThrow(json, fileName, PROCESS);
    }

    /** Reads a standalone LinuxResources object: the file (or stdin) of {@code update -r}. */
    public static LinuxResources readResources(Path file) throws SpecException {
        return readResources(read(file), file.toString());
    }

    public static LinuxResources readResources(byte[] json, String fileName) throws SpecException {
        return (LinuxResources) decodeOrThrow(json, fileName, RESOURCES);
    }

    /** Reads an OCI state document. Its {@code ociVersion} is not checked. */
    public static State readState(Path file) throws SpecException {
        return readState(read(file), file.toString());
    }

    public static State readState(byte[] json, String fileName) throws SpecException {
        return (State) decodeOrThrow(json, fileName, STATE);
    }

    /** Reads a features document. */
    public static Features readFeatures(Path file) throws SpecException {
        return readFeatures(read(file), file.toString());
    }

    public static Features readFeatures(byte[] json, String fileName) throws SpecException {
        return (Features) decodeOrThrow(json, fileName, FEATURES);
    }

    private static byte[] read(Path file) throws SpecException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpecException(new Problem(file.toString(), null, ioMessage(e)));
        }
    }

    private static boolean hasProblemAt(List<Problem> problems, String path) {
        for (Problem p : problems) {
            if (path.equals(p.path())) {
                return true;
            }
        }
        return false;
    }

    private static String ioMessage(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String reason = e.getMessage();
        return "cannot read: " + (reason == null ? e.getClass().getSimpleName() : reason);
    }

    private static Object decodeOrThrow(byte[] json, String source, int kind) throws SpecException {
        List<Problem> problems = new ArrayList<>();
        return result(decode(json, source, kind, problems), problems);
    }

    private static Object result(Object value, List<Problem> problems) throws SpecException {
        if (!problems.isEmpty()) {
            throw new SpecException(problems);
        }
        return value;
    }

    /**
     * Decodes one document. Decoding problems are added to {@code problems}; a syntax error
     * replaces them, since what was decoded before it may be an artefact of the broken text.
     */
    private static Object decode(byte[] json, String source, int kind, List<Problem> problems) {
        String text = Utf8.decode(json);
        if (text.startsWith("\uFEFF")) {
            // Go refuses a byte order mark; Jackson would skip it silently.
            problems.add(new Problem(source, null,
                    "line 1, column 1: unexpected byte order mark (the file must be UTF-8 without a BOM)"));
            return null;
        }
        try {
            JsonIn in = JsonIn.open(text, source, problems);
            if (in == null) {
                return null;
            }
            if (in.isNull()) {
                problems.add(new Problem(source, null, "expected a JSON object, got null"));
                return null;
            }
            switch (kind) {
                case SPEC:
                    return ModelDecoder.spec(in);
                case PROCESS:
                    return ModelDecoder.process(in);
                case RESOURCES:
                    return ModelDecoder.linuxResources(in);
                case STATE:
                    return ModelDecoder.state(in);
                default:
                    return ModelDecoder.features(in);
            }
        } catch (JsonProcessingException e) {
            problems.clear();
            problems.add(new Problem(source, null, syntaxMessage(e)));
        } catch (IOException e) {
            // Parsing a String performs no I/O; only a broken parser could get here.
            problems.clear();
            problems.add(new Problem(source, null, ioMessage(e)));
        }
        return null;
    }

    /** A document past the parser's size limits, said without naming the parser's settings. */
    private static String limitMessage(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("exceeds the maximum allowed \\((\\d+)")
                .matcher(message);
        String limit = m.find() ? m.group(1) : null;
        if (limit != null && message.startsWith("Document nesting depth")) {
            return "nesting deeper than " + limit + " levels";
        }
        if (limit != null && message.startsWith("String value length")) {
            return "a string longer than " + limit + " characters";
        }
        if (limit != null && message.startsWith("Number value length")) {
            return "a number longer than " + limit + " digits";
        }
        return message.replaceAll(", from `[^`]*`", "");
    }

    /** {@code line 3, column 7: <Jackson's description without its location suffix>}. */
    private static String syntaxMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = "invalid JSON";
        }
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        // Jackson points back at the opening bracket with its own location syntax.
        int marker = message.indexOf(" (start marker at ");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            message = limitMessage(message);
        }
        if (!message.isEmpty()) {
            // Jackson capitalises its sentences; problems here read as clauses.
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        JsonLocation at = e.getLocation();
        if (at == null) {
            return message;
        }
        return "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + message;
    }
}
