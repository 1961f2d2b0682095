package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests grpc cannot parse, sent as real bytes on a real channel: the client is told why
 * (INVALID_ARGUMENT, RESOURCE_EXHAUSTED), not UNKNOWN "Application error processing RPC"; the
 * error log gets one brief line per kind every interval, and grpc logs no stack trace.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedRequestsTest {
    /** Nine bytes that are not an {@code img.Image}: 0xFF is a field tag with an invalid wire type. */
    private static final byte[] GARBAGE = {(byte) 0xFF, 1, 2, 3, 4, 5, 6, 7, 8};
    private static final String MALFORMED = "malformed request: not a valid protobuf message"
            + " (Protocol message tag had invalid wire type.)";
    private static final int MAX_BODY = 64 * 1024;

    @TempDir
    static Path storage;
    private static TestServer server;
    private final List<LogRecord> grpcLogs = new ArrayList<>();
    private final Handler grpcLogCapture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            grpcLogs.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(storage, "--max-body", String.valueOf(MAX_BODY), "--access-log", "true");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void captureGrpcLogs() {
        Logger.getLogger("io.grpc").addHandler(grpcLogCapture);
    }

    @AfterEach
    void releaseGrpcLogs() {
        Logger.getLogger("io.grpc").removeHandler(grpcLogCapture);
    }

    @Test
    void answersGarbageWithInvalidArgumentSayingWhyAndLogsOneBriefLine() {
        for (int i = 0; i < 3; i++) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> unaryBytes(GARBAGE));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals(MALFORMED, e.getStatus().getDescription());
        }
        List<String> logged = server.errorLog.lines().stream()
                .filter(line -> line.contains("img.Inference/Predict: ") && line.contains(MALFORMED)).toList();
        assertEquals(1, logged.size(), "three alike within the interval: one line " + server.errorLog.lines());
        assertTrue(logged.get(0).matches("server-grpc: client error: 127\\.0\\.0\\.1:\\d+ img\\.Inference/Predict:"
                + " INVALID_ARGUMENT .*"), logged.get(0));
        assertEquals(List.of(), warningsOrWorse(), "grpc logged no stack trace");
        assertEquals("OK", server.blocking().predict(PredictTest.jpeg(small())).getStatus(), "and the server goes on");
    }

    @Test
    void answersGarbageInAStreamWithInvalidArgument() throws Exception {
        MethodDescriptor<byte[], byte[]> method = bytes(InferenceGrpc.getPredictStreamMethod());
        io.grpc.ClientCall<byte[], byte[]> call = server.channel.newCall(method, CallOptions.DEFAULT
                .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS));
        java.util.concurrent.CompletableFuture<Status> end = new java.util.concurrent.CompletableFuture<>();
        call.start(new io.grpc.ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, io.grpc.Metadata trailers) {
                end.complete(status);
            }
        }, new io.grpc.Metadata());
        call.request(1);
        call.sendMessage(GARBAGE);
        Status status = end.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals(MALFORMED, status.getDescription());
        assertEquals(List.of(), warningsOrWorse());
    }

    /** 3 MB of zeros compress to a few kB: under --max-body on the wire, far over it inflated. */
    @Test
    void answersAnInflatedMessageOverTheLimitWithResourceExhausted() {
        Image bomb = Image.newBuilder().setData(ByteString.copyFrom(new byte[3_000_000])).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> InferenceGrpc
                .newBlockingStub(server.channel).withCompression("gzip")
                .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).predict(bomb));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertEquals("Decompressed gRPC message exceeds maximum size " + MAX_BODY, e.getStatus().getDescription());
        assertEquals(List.of(), warningsOrWorse());
    }

    /** grpc refuses a message whose declared size is over the limit itself; it is logged briefly too. */
    @Test
    void answersAMessageOverTheLimitWithResourceExhaustedAndNoStackTrace() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> unaryBytes(new byte[MAX_BODY + 1]));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("gRPC message exceeds maximum size " + MAX_BODY),
                e.getStatus().getDescription());
        assertEquals(1, server.errorLog.await(line -> line.contains("RESOURCE_EXHAUSTED gRPC message exceeds maximum"
                + " size " + MAX_BODY), 1, Duration.ofSeconds(5)).size(), server.errorLog.lines().toString());
        assertEquals(List.of(), warningsOrWorse());
    }

    /** A REST client or curl given the gRPC port: a GOAWAY each, one brief line for all, no stack trace. */
    @Test
    void answersHttp1WithAGoawayAndLogsOneBriefLineForSeveral() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("POST /predict?save=0 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] answer = socket.getInputStream().readAllBytes(); // up to the server's close
                assertEquals(4, answer[3], "the answer is HTTP/2: a SETTINGS frame first");
            }
        }
        List<String> logged = server.errorLog.await(line -> line.contains("HTTP/1.x"), 1, Duration.ofSeconds(5));
        assertEquals(List.of("server-grpc: client error: an HTTP/1.x request (\"POST /predict?save=0\") came to this"
                + " gRPC port, which speaks HTTP/2 only: a REST client or curl given the gRPC port? Answered with a"
                + " GOAWAY and closed"), logged);
        Thread.sleep(300); // grpc logs each ended connection just after closing it
        assertEquals(List.of(), transportFailures(), "grpc logged no stack trace");
        assertEquals(1, server.errorLog.lines().stream().filter(line -> line.contains("HTTP/1.x")).count(),
                "three alike within the interval: one line " + server.errorLog.lines());
    }

    private static byte[] unaryBytes(byte[] request) {
        return ClientCalls.blockingUnaryCall(server.channel, bytes(InferenceGrpc.getPredictMethod()),
                CallOptions.DEFAULT.withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS), request);
    }

    /** The method, with raw bytes for messages: what a client with a broken encoder would send. */
    private static MethodDescriptor<byte[], byte[]> bytes(MethodDescriptor<?, ?> method) {
        return method.toBuilder(new RawBytes(), new RawBytes()).build();
    }

    private List<String> warningsOrWorse() {
        synchronized (grpcLogCapture) {
            return grpcLogs.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
        }
    }

    private List<String> transportFailures() {
        synchronized (grpcLogCapture) {
            return grpcLogs.stream().filter(r -> r.getThrown() != null).map(r -> r.getThrown().toString()).toList();
        }
    }

    private static byte[] small() {
        return PredictStreamTest.small(inferbench.samples.SampleFrames.faceFrame(1280, 720));
    }

    private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
