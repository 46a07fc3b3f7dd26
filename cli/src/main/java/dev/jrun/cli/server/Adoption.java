package dev.jrun.cli.server;

/**
 * Who the server's parent is once the front end that started it has gone.  No fork from inside
 * a subreaper's subtree can leave it, so a server started under containerd's shim or under
 * conmon is adopted by that subreaper, not by init.  Some subreapers end only when they have no
 * child left (conmon waits for ECHILD once its container has exited): a server that stays
 * would keep such a one alive until it idled out.  So a server whose adopter waits for nothing
 * but the server leaves at once, and the next call starts another.  And while it is adopted,
 * each call's front end is asked to start a successor: one forked from a caller outside every
 * subreaper lands on init, and the server hands over to it.
 */
interface Adoption {
    /** Whether the server's parent is a subreaper (not init). */
    boolean bySubreaper();

    /** Whether the server's parent is a subreaper that has no other child now. */
    boolean adopterHasOnlyUs();

    /** The live answer, from the process table. */
    static Adoption ofThisProcess() {
        return new Adoption() {
            @Override
            public boolean bySubreaper() {
                return ProcessHandle.current().parent().map(p -> p.pid() > 1).orElse(false);
            }

            @Override
            public boolean adopterHasOnlyUs() {
                ProcessHandle self = ProcessHandle.current();
                ProcessHandle parent = self.parent().orElse(null);
                // pid 1 is init (of this pid namespace), which waits for nobody in particular
                if (parent == null || parent.pid() <= 1) {
                    return false;
                }
                return parent.children().noneMatch(c -> c.pid() != self.pid());
            }
        };
    }

    /** Never adopted by a subreaper (tests, or a server whose parent is init). */
    Adoption NONE = new Adoption() {
        @Override
        public boolean bySubreaper() {
            return false;
        }

        @Override
        public boolean adopterHasOnlyUs() {
            return false;
        }
    };
}
