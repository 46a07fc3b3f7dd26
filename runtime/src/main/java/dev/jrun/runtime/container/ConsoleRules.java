package dev.jrun.runtime.container;

/** runc's rules for where a terminal's pty master goes: create, run and exec share them. */
final class ConsoleRules {
    private ConsoleRules() {
    }

    /**
     * @param detached whether jrun will not stay to proxy the terminal itself (create, run -d, exec -d)
     */
    static void check(boolean terminal, boolean consoleSocket, boolean detached) throws JrunException {
        if (terminal && !consoleSocket && detached) {
            throw new JrunException("cannot allocate tty if jrun will detach without setting console socket");
        }
        if (!terminal && consoleSocket) {
            throw new JrunException("cannot use console socket if jrun will not detach or allocate tty");
        }
    }
}
