package inferbench.server;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads named for what they do (they read well in a thread dump), which never keep the JVM up
 * on their own: a pool someone forgot to shut down does not stop the process from exiting.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    /** @param prefix such as {@code "rest-connection-"}; a number is appended */
    public DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
