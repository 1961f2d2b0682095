package inferbench.grpc.limits;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A call the server can end from any thread: when its message is late or holds too much memory
 * ({@link UnfinishedCalls}), or when the server stops, while a worker may be answering it.
 *
 * <p>grpc-java's ServerCall is not thread-safe (only {@code request} is), so everything that
 * sends goes through this object's lock. Once the call has ended, what the handlers send after
 * is dropped: they learn of the end through their listener ({@code onComplete}), possibly only
 * after they have sent.
 */
final class GuardedCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private final boolean clientStreams;
    private final Runnable notReading;
    private boolean closed;

    /**
     * @param notReading run when a call whose client sends a stream finds, after sending an
     *                   answer, that its client has stopped reading them (more than grpc's
     *                   32 KiB of answers wait unsent): such a call is not reading either, and
     *                   its client could fill its flow-control window with frames nobody reads
     */
    GuardedCall(ServerCall<ReqT, RespT> call, Runnable notReading) {
        super(call);
        this.clientStreams = !call.getMethodDescriptor().getType().clientSendsOneMessage();
        this.notReading = notReading;
    }

    /** True once this server's code has closed the call (answered it, refused it, ended it). */
    synchronized boolean closed() {
        return closed;
    }

    /** Ends the call with {@code status} unless it has ended already; true if this call ended it. */
    synchronized boolean end(Status status) {
        if (closed) {
            return false;
        }
        close(status, new Metadata());
        return true;
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
        if (!closed) {
            super.sendHeaders(headers);
        }
    }

    @Override
    public synchronized void sendMessage(RespT message) {
        if (!closed) {
            super.sendMessage(message);
            if (clientStreams && !isReady()) {
                notReading.run();
            }
        }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
        if (!closed) {
            closed = true;
            super.close(status, trailers);
        }
    }
}
