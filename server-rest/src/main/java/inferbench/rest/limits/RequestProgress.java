package inferbench.rest.limits;

import com.sun.net.httpserver.HttpExchange;
import inferbench.rest.HttpError;
import inferbench.rest.JsonResponse;
import inferbench.server.RequestLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request on its thread: the stage it has reached, and the deadline of that stage.
 *
 * <p>A thread blocked reading or writing a socket is freed only by closing the socket, and the
 * JDK's blocking SocketChannel closes itself when the thread blocked in it is interrupted
 * (InterruptibleChannel). So a deadline interrupts the thread, but only while the thread is still
 * in the stage the deadline was set for: stage changes and interrupts happen under this object's
 * lock, and a stage change that finds its stage closed fails (the caller gives the request up)
 * instead of going on. A late deadline therefore never interrupts a thread that has moved on, to
 * the next stage or to the next request; the interrupt flag is cleared when the request ends.
 *
 * <p>A request closed while its body arrives is answered first (408, or 503 when the server
 * stops). The connection thread is blocked reading, so another thread writes the answer, under a
 * deadline of its own (a client that reads nothing holds no thread for long), and only then
 * interrupts the connection thread.
 */
final class RequestProgress {
    private static final Logger LOG = Logger.getLogger(RequestProgress.class.getName());

    /** In order; a request may skip WORKING (a refusal before its body is read, or without it). */
    enum Stage {
        /** From the request's first byte until the handler asks for its body. */
        HEADERS,
        /** Until the body has been read. */
        BODY,
        /** Complete and admitted: refused, or waiting for its detection. */
        WORKING,
        /** Writing the reply. */
        REPLYING,
        DONE
    }

    private final Thread thread;
    private final Deadlines deadlines;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Stage stage;
    private boolean hasDeadline;
    private long deadlineNanos;
    private HttpExchange exchange;
    private String closedBecause;
    private Stage closedIn;
    private CompletableFuture<Void> answered = CompletableFuture.completedFuture(null);

    /** @param thread the thread that does the stages' reading and writing */
    RequestProgress(Thread thread, Deadlines deadlines, Stage first) {
        this.thread = thread;
        this.deadlines = deadlines;
        synchronized (this) {
            enter(first);
        }
        deadlines.watch(this);
    }

    /** The handler asks for the body: the body's deadline starts. */
    void readingBody(HttpExchange exchange) throws IOException {
        moveTo(Stage.BODY, exchange);
    }

    /** The request has arrived in full. */
    void working() throws IOException {
        moveTo(Stage.WORKING, null);
    }

    void replying() throws IOException {
        moveTo(Stage.REPLYING, null);
    }

    /** Called by the thread when the request is over, however it ended. */
    void finish() {
        CompletableFuture<Void> answer;
        synchronized (this) {
            answer = answered;
        }
        answer.join(); // the answer is written before the JDK may close the connection
        synchronized (this) {
            enter(Stage.DONE);
        }
        deadlines.unwatch(this);
        Thread.interrupted(); // a deadline that fired after the thread's last blocking call
        done.complete(null);
    }

    /**
     * On stop: closes the request if it has not arrived in full (a request whose body is being
     * read is answered {@code answer}). Returns true if the request had arrived, and is to be
     * waited for.
     */
    boolean closeIfIncomplete(HttpError answer) {
        close(current -> current == Stage.HEADERS || current == Stage.BODY, answer, "server stopping");
        synchronized (this) {
            return closedBecause == null && stage != Stage.DONE;
        }
    }

    /** Why a deadline or the stop closed the request, or null. */
    synchronized String closedBecause() {
        return closedBecause;
    }

    /** The stage a deadline or the stop closed the request in, or null. */
    synchronized Stage closedIn() {
        return closedIn;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private void moveTo(Stage next, HttpExchange exchange) throws IOException {
        CompletableFuture<Void> answer;
        String reason;
        synchronized (this) {
            if (closedBecause == null) {
                if (exchange != null) {
                    this.exchange = exchange;
                }
                enter(next);
                return;
            }
            answer = answered;
            reason = closedBecause;
        }
        answer.join();
        throw new IOException("request closed: " + reason);
    }

    /** Holding the lock. */
    private void enter(Stage next) {
        stage = next;
        Duration timeout = deadlines.of(next);
        hasDeadline = timeout != null;
        if (hasDeadline) {
            deadlineNanos = System.nanoTime() + timeout.toNanos();
        }
    }

    /** Called by the deadline clock: closes the request if its stage has outlived its deadline. */
    void expireIfDue(long nowNanos) {
        Stage due;
        synchronized (this) {
            if (!hasDeadline || nowNanos - deadlineNanos < 0) {
                return;
            }
            due = stage;
        }
        Duration timeout = deadlines.of(due);
        // the body did not arrive in time; the rest of it is not waited for (RFC 9110 section 15.5.9)
        HttpError late = new HttpError(408, "request body not received within " + RequestLimits.seconds(timeout),
                Map.of("Connection", "close"));
        if (close(current -> current == due, late, timeoutReason(due, timeout))) {
            deadlines.passed(due);
        }
    }

    private static String timeoutReason(Stage stage, Duration timeout) {
        String what = switch (stage) {
            case HEADERS -> "request line and headers";
            case BODY -> "request body";
            default -> "reply";
        };
        return what + (stage == Stage.REPLYING ? " not taken" : " not received") + " within "
                + RequestLimits.seconds(timeout);
    }

    /** Closes the request if its stage is {@code closable}; true if this closed it. */
    private boolean close(Predicate<Stage> closable, HttpError bodyAnswer, String reason) {
        HttpExchange answering;
        CompletableFuture<Void> answer = new CompletableFuture<>();
        synchronized (this) {
            if (closedBecause != null || !closable.test(stage)) {
                return false;
            }
            closedBecause = reason;
            closedIn = stage;
            hasDeadline = false;
            if (stage != Stage.BODY) {
                thread.interrupt(); // closes the socket the thread is blocked on
                return true;
            }
            answered = answer;
            answering = exchange;
        }
        if (!deadlines.answer(() -> answer(answering, bodyAnswer, answer))) { // the server has stopped
            interruptUnlessDone();
            answer.complete(null);
        }
        return true;
    }

    /** On an answering thread: the reply, then the connection thread freed from its read. */
    private void answer(HttpExchange exchange, HttpError error, CompletableFuture<Void> answer) {
        RequestProgress writing = new RequestProgress(Thread.currentThread(), deadlines, Stage.REPLYING);
        try {
            JsonResponse.sendError(exchange, error);
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not send " + error.status() + " to " + exchange.getRemoteAddress(), e);
        } finally {
            writing.finish();
            interruptUnlessDone();
            answer.complete(null);
        }
    }

    private synchronized void interruptUnlessDone() {
        if (stage != Stage.DONE) {
            thread.interrupt();
        }
    }
}
