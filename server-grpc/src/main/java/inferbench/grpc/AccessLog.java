package inferbench.grpc;

import inferbench.proto.InferenceGrpc;
import inferbench.server.ListenAddress;
import inferbench.server.WorkerPool;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * One log line per {@code img.Inference} call, like an HTTP access log:
 * {@code 127.0.0.1:41234 img.Inference/Predict OK 27.1 ms 1 msg}.
 *
 * <p>A stream tracer rather than an interceptor, because a tracer sees the status every call
 * really ends with, including those grpc ends itself before the service runs (a message over
 * the size limit is RESOURCE_EXHAUSTED here, where an interceptor would only see a cancel).
 * Health and reflection calls are not logged: probes every few seconds would drown the log.
 */
final class AccessLog extends ServerStreamTracer.Factory implements GrpcServer.Watcher {
    private static final String LOGGED_PREFIX = InferenceGrpc.SERVICE_NAME + "/";

    private final PrintStream out;

    AccessLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void attachTo(ServerBuilder<?> builder, WorkerPool workers) {
        builder.addStreamTracerFactory(this);
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return fullMethodName.startsWith(LOGGED_PREFIX) ? new Entry(fullMethodName) : new ServerStreamTracer() { };
    }

    private final class Entry extends ServerStreamTracer {
        private final String method;
        private final long start = System.nanoTime();
        private volatile String peer = "-";
        private volatile int messages;

        Entry(String method) {
            this.method = method;
        }

        @Override
        public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
            SocketAddress remote = callInfo.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            if (remote instanceof InetSocketAddress address) {
                peer = ListenAddress.hostPort(address);
            }
        }

        @Override
        public void inboundMessage(int seqNo) {
            messages = seqNo + 1;
        }

        @Override
        public void streamClosed(Status status) {
            String detail = status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
            // One println of the finished line. printf writes piece by piece, and on an autoflush
            // stream such as System.out each piece is a system call: eleven per call, on the event loop.
            out.println(String.format(Locale.ROOT, "%s %s %s %.1f ms %d msg%s", peer, method, status.getCode(),
                    (System.nanoTime() - start) / 1e6, messages, detail));
        }
    }
}
