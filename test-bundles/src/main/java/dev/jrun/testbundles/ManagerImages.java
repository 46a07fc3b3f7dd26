package dev.jrun.testbundles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The busybox image the container-manager tests and benchmarks run, built locally (no registry):
 * {@code busybox-oci.tar} (an OCI layout archive, for {@code ctr image import} and
 * {@code podman load}) and {@code busybox-docker.tar} (a {@code docker save} archive, for
 * {@code docker load}), both named {@link #REFERENCE}.
 *
 * <p>usage: {@code ManagerImages DIR PROBE} — writes both archives into DIR and prints their paths.
 */
public final class ManagerImages {

    /** The name both archives carry. */
    public static final String REFERENCE = "docker.io/library/busybox:jrun";

    /** The two archives. */
    public record Archives(Path oci, Path docker) {}

    private ManagerImages() {}

    /** Writes both archives of {@code busybox}'s rootfs into {@code dir}. */
    public static Archives write(BusyboxBundle busybox, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path oci = dir.resolve("busybox-oci.tar");
        Path docker = dir.resolve("busybox-docker.tar");
        busybox.ociImage(REFERENCE).cmd("/bin/sh").writeArchive(oci);
        DockerArchive.write(busybox.ociImage(REFERENCE).cmd("/bin/sh"), REFERENCE, docker);
        return new Archives(oci, docker);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ManagerImages DIR PROBE");
            System.exit(2);
        }
        Archives a = write(BusyboxBundle.withProbe(Path.of(args[1])), Path.of(args[0]));
        System.out.println(a.oci().toAbsolutePath());
        System.out.println(a.docker().toAbsolutePath());
    }
}
