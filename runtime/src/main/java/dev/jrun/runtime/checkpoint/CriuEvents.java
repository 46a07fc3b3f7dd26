package dev.jrun.runtime.checkpoint;

/**
 * What CRIU tells its caller while it works, at the points where the caller must act before
 * CRIU goes on (CRIU waits for each answer).  Only restore has work to do at them.
 */
public interface CriuEvents {
    /** The restored init exists, in its namespaces, not yet running: prestart-time hooks. */
    default void setupNamespaces(int pid) throws CriuException {
    }

    /** Every process is restored and about to run: the init is pid. */
    default void postRestore(int pid) throws CriuException {
    }

    /** The master of the restored terminal; the session closes fd afterwards. */
    default void orphanPtsMaster(int fd) throws CriuException {
    }

    /** Lazy pages are being served (checkpoint --lazy-pages). */
    default void statusReady() throws CriuException {
    }
}
