package inferbench.server;

import sun.misc.Signal;

/**
 * Lets a server main stop gracefully on SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C),
 * and then exit 0.
 *
 * <p>Why not only a shutdown hook: the JVM's own handling of these signals runs the hooks and
 * then exits with 143 or 130 whatever the hooks do, and a hook that ends the process itself
 * ({@code Runtime.halt}) skips the other hooks, such as the one that deletes
 * {@code deleteOnExit} files. Handling the signals here instead lets {@code main} finish the
 * stop, return its exit status, and leave through {@code System.exit}, which runs every hook;
 * status 0 is what a supervisor reads as "stopped cleanly". {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}) is kept usable by JEP 260 because the JDK has no public replacement.
 * A signal that was ignored when the JVM started (nohup, {@code &} in a script) stays ignored,
 * as for any program.
 */
public final class StopSignals {
    private StopSignals() {
    }

    /**
     * Runs {@code stop} at SIGTERM or SIGINT, on a thread the JVM starts for that signal, which
     * {@code stop} may hold for as long as the stop takes (the grace period): a second signal
     * gets a thread of its own.
     */
    public static void onStop(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException reservedByTheJvm) {
                // e.g. under -Xrs: the main's shutdown hook still stops the server, with the JVM's exit status
            }
        }
    }
}
