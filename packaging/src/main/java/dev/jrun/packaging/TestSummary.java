package dev.jrun.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * TestSummary REPORTS STAGE=STATUS:SECONDS...: the last line of `make test` and `make
 * unit-test`, "N passed, N failed, N skipped", added up from the surefire reports
 * (REPORTS/STAGE/TEST-*.xml) of the stages of this run; an error counts as a failure.  Before
 * it, one line says how long each stage took, and which failed outside any test (a compile
 * error, a crashed test JVM) or did not run (STATUS "-").  Exits 1 when anything failed.
 *
 * Run as a source file (java TestSummary.java ...), so that it works when the build did not.
 */
public final class TestSummary {
    private TestSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path reports = Path.of(args[0]);
        long[] total = new long[3];
        boolean stageFailed = false;
        List<String> stages = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            String status = args[i].substring(name.length() + 1, args[i].lastIndexOf(':'));
            String took = duration(Long.parseLong(args[i].substring(args[i].lastIndexOf(':') + 1)));
            long[] counts = counts(reports.resolve(name));
            for (int k = 0; k < 3; k++) {
                total[k] += counts[k];
            }
            if (status.equals("-")) {
                stageFailed = true;
                stages.add(name + " stage: not run");
            } else if (!status.equals("0")) {
                stageFailed = true;
                stages.add(name + " stage: " + took + ", failed" + (counts[1] == 0 ? " outside any test (see above)" : ""));
            } else {
                stages.add(name + " stage: " + took);
            }
        }
        System.out.println(String.join("; ", stages));
        System.out.println(total[0] + " passed, " + total[1] + " failed, " + total[2] + " skipped");
        System.exit(total[1] > 0 || stageFailed ? 1 : 0);
    }

    /** Passed, failed (failures and errors) and skipped tests of one stage's reports. */
    private static long[] counts(Path dir) throws IOException {
        long tests = 0;
        long failed = 0;
        long skipped = 0;
        if (Files.isDirectory(dir)) {
            List<Path> files;
            try (Stream<Path> all = Files.list(dir)) {
                files = all.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList();
            }
            for (Path file : files) {
                Element suite = parse(file);
                tests += count(suite, "tests");
                failed += count(suite, "failures") + count(suite, "errors");
                skipped += count(suite, "skipped");
            }
        }
        return new long[] {tests - failed - skipped, failed, skipped};
    }

    private static Element parse(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read the test report " + file + ": " + e.getMessage(), e);
        }
    }

    private static long count(Element suite, String attribute) {
        String value = suite.getAttribute(attribute);
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static String duration(long seconds) {
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }
}
