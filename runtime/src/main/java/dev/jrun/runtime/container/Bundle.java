package dev.jrun.runtime.container;

import dev.jrun.spec.SpecException;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.validate.Report;
import dev.jrun.spec.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A bundle read and validated for create: the config, the exact bytes it came from (kept as
 * the container's snapshot), the resolved rootfs, and the validator's warnings.
 */
public record Bundle(Path dir, Path configFile, byte[] configBytes, Spec spec, Path rootfs, List<String> warnings) {

    public static Bundle load(Path dir) throws JrunException {
        Path abs = dir.toAbsolutePath().normalize();
        Path config = abs.resolve("config.json");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(config);
        } catch (NoSuchFileException e) {
            throw new JrunException("config.json: no such file in bundle " + abs);
        } catch (IOException e) {
            throw new JrunException(config + ": " + e.getMessage(), e);
        }
        Spec spec;
        try {
            spec = SpecReader.readConfig(bytes, "config.json");
        } catch (SpecException e) {
            throw new JrunException(e.getMessage(), e);
        }
        Report report = Validator.validate(spec, abs);
        if (report.hasErrors()) {
            throw new JrunException(report.errorText());
        }
        if (spec.linux() == null) {
            throw new JrunException("config.json: linux: required to run a Linux container");
        }
        Path rootfs = abs.resolve(spec.root().path()).normalize();
        try {
            rootfs = rootfs.toRealPath();
        } catch (IOException e) {
            throw new JrunException("config.json: root.path: " + rootfs + ": " + e.getMessage(), e);
        }
        List<String> warnings = new java.util.ArrayList<>();
        for (dev.jrun.spec.Problem p : report.warnings()) {
            warnings.add(p.toString());
        }
        return new Bundle(abs, config, bytes, spec, rootfs, warnings);
    }
}
