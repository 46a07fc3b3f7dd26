package dev.jrun.cli;

import dev.jrun.spec.Problem;
import dev.jrun.spec.SpecException;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.validate.Report;
import dev.jrun.spec.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `validate` (jrun's own): every problem of a bundle at once, without creating anything. */
final class ValidateCommand implements Subcommand {
    @Override
    public String name() {
        return "validate";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "check a bundle's config.json and print every problem", "", """
                The validate command checks the bundle's specification file, "config.json", as
                create would, without creating anything. It prints every problem it finds, one
                a line, and exits with status 1 if there is any; else it prints the bundle's
                path followed by ": valid". Warnings are printed but do not fail.

                runc has no such command: it is jrun's own.
                """);
        spec.addOption(Options.value("DIR", "path to the root of the bundle directory (default: the current directory)",
                "--bundle", "-b"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String bundle = Options.string(r, "--bundle");
        Path dir = Path.of(bundle == null ? "" : bundle).toAbsolutePath();
        Path config = dir.resolve("config.json");
        if (!Files.exists(config)) {
            ctx.out().println("config.json: no such file in bundle " + dir);
            return 1;
        }
        Report report;
        try {
            report = Validator.validate(SpecReader.readConfig(config), dir);
        } catch (SpecException e) {
            for (Problem p : e.problems()) {
                ctx.out().println(p);
            }
            return 1;
        }
        for (Problem p : report.errors()) {
            ctx.out().println(p);
        }
        for (Problem p : report.warnings()) {
            ctx.out().println("warning: " + p);
        }
        if (!report.errors().isEmpty()) {
            return 1;
        }
        ctx.out().println(dir + ": valid");
        return 0;
    }
}
