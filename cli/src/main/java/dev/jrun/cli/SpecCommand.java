package dev.jrun.cli;

import dev.jrun.runtime.container.JrunException;
import dev.jrun.spec.DefaultSpec;
import dev.jrun.spec.SpecWriter;
import dev.jrun.spec.json.JsonStyle;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `spec`: write the same starter config.json runc writes. */
final class SpecCommand implements Subcommand {
    @Override
    public String name() {
        return "spec";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "create a new config.json in the bundle");
        spec.addOption(Options.value("DIR", "path to the bundle (default: the current directory)", "--bundle", "-b"));
        spec.addOption(Options.flag("generate a config for a rootless container", "--rootless"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String bundle = Options.string(r, "--bundle");
        Path dir = Path.of(bundle == null ? "" : bundle).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new JrunException("bundle " + dir + " is not a directory");
        }
        Path config = dir.resolve("config.json");
        byte[] json = SpecWriter.write(DefaultSpec.runc(Options.isSet(r, "--rootless")), JsonStyle.TABS);
        try {
            Files.write(config, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new JrunException("File " + config + " exists. Remove it first");
        }
        return 0;
    }
}
