package dev.jrun.runtime.seccomp;

import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.runtime.linux.LibraryMissingException;
import dev.jrun.spec.model.Features;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seccomp part of `jrun features`, read off {@link SeccompTables} and checked against this
 * host: the actions its kernel has, the architectures its libseccomp knows, the flags its kernel
 * takes.  Without libseccomp, seccomp is reported disabled, which is what create would find.
 */
public final class SeccompFeatures {
    private SeccompFeatures() {
    }

    public static Features.Seccomp detect() {
        LibSeccomp lib;
        try {
            lib = LibSeccomp.get();
        } catch (LibraryMissingException | LinkageError e) {
            return new Features.Seccomp(false, null, null, null, null, null);
        }
        return of(lib);
    }

    public static Features.Seccomp of(LibSeccomp lib) {
        List<String> actions = new ArrayList<>();
        for (Map.Entry<String, SeccompTables.Kind> e : SeccompTables.ACTIONS.entrySet()) {
            SeccompTables.Kind k = e.getValue();
            if (!SeccompTables.needsKernelCheck(k) || lib.kernelHasAction(k.base)) {
                actions.add(e.getKey());
            }
        }
        List<String> archs = new ArrayList<>();
        for (String name : SeccompTables.ARCHITECTURES) {
            if (lib.resolveArch(SeccompTables.libseccompArchName(name)) != 0) {
                archs.add(name);
            }
        }
        List<String> known = new ArrayList<>(SeccompTables.FLAGS.keySet());
        List<String> supported = new ArrayList<>();
        for (Map.Entry<String, Long> e : SeccompTables.FLAGS.entrySet()) {
            long bit = e.getValue();
            long probe = bit == LibSeccomp.FLAG_WAIT_KILLABLE_RECV ? bit | LibSeccomp.FLAG_NEW_LISTENER : bit;
            if (lib.kernelHasFlags(probe)) {
                supported.add(e.getKey());
            }
        }
        actions.sort(null);
        archs.sort(null);
        List<String> operators = new ArrayList<>(SeccompTables.OPERATORS.keySet());
        operators.sort(null);
        return new Features.Seccomp(true, actions, operators, archs, known, supported);
    }
}
