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
        CommandSpec spec = Options.command(name(), "create a new specification file", "", """
                The spec command creates the new specification file named "config.json" for
                the bundle. It will not overwrite one that exists.

                The spec generated is just a starter file: edit it to get the container you
                want. Its process.args, for example, runs "sh", which works in a busybox or a
                distribution image but not in one without a shell.

                EXAMPLE:
                To run docker's hello-world image in a container named container1:

                    mkdir hello
                    cd hello
                    docker export $(docker create hello-world) > hello-world.tar
                    mkdir rootfs
                    tar -C rootfs -xf hello-world.tar
                    jrun spec
                    sed -i 's;"sh";"/hello";' config.json
                    jrun run container1

                Containers need root privilege. With --rootless the file is made for a
                container started by a user other than root instead: that user becomes root
                in a new user namespace. --rootless is not needed when jrun runs as root in a
                user namespace made by an unprivileged user.
                """);
        spec.addOption(Options.value("DIR", "path to the root of the bundle directory (default: the current directory)",
                "--bundle", "-b"));
        spec.addOption(Options.flag("generate a configuration for a rootless container", "--rootless"));
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
