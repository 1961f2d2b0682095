package inferbench.bench.tuned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.client.transport.RestTransport;
import inferbench.client.transport.ScriptedHttpServer;
import inferbench.client.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hand-written HTTP/1.1 client against scripted servers on loopback, for the responses the
 * real REST server never sends but a proxy or another server may: chunked bodies, no length,
 * 1xx, connections closed while idle, silence. The keep-alive cases run with the JDK's client too.
 */
class HttpConnectionTest {
    private static final byte[] HEAD = "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] BODY = {1, 2, 3};
    private static final String PREDICT_OK = "{\"status\":\"OK\",\"boxes\":[],\"scores\":[],"
            + "\"detection_count\":0,\"latency_ms\":1.5}";

    private ScriptedHttpServer server;

    private int serve(ScriptedHttpServer.Script script) throws IOException {
        server = new ScriptedHttpServer(script);
        return server.port();
    }

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Reads one request whose body has Content-Length: 3, as the tests send. */
    private static void readRequest(InputStream in) throws IOException {
        ScriptedHttpServer.readRequest(in, 3);
    }

    private static void write(Socket socket, String response) throws IOException {
        ScriptedHttpServer.write(socket.getOutputStream(), response);
    }

    private static long deadlineIn(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private HttpConnection.Response exchangeOnce(int port, long timeoutMillis) throws IOException {
        try (HttpConnection connection = HttpConnection.open("127.0.0.1", port, null, deadlineIn(timeoutMillis))) {
            return connection.exchange(HEAD, BODY, deadlineIn(timeoutMillis));
        }
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        int port = serve(socket -> {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n");
            socket.getInputStream().read(); // hold the connection until the client is done
        });
        HttpConnection.Response response = exchangeOnce(port, 5000);
        assertEquals(200, response.status());
        assertEquals("hello world", new String(response.body(), StandardCharsets.US_ASCII));
        assertTrue(response.reusable());
    }

    @Test
    void readsABodyWithoutLengthToTheEndAndDoesNotReuseTheConnection() throws Exception {
        int port = serve(socket -> {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n\r\n<h1>bad gateway</h1>");
        });
        HttpConnection.Response response = exchangeOnce(port, 5000);
        assertEquals(502, response.status());
        assertEquals("<h1>bad gateway</h1>", new String(response.body(), StandardCharsets.US_ASCII));
        assertFalse(response.reusable());
    }

    @Test
    void connectionCloseAndHttp10MeanTheConnectionIsNotReused() throws Exception {
        int port = serve(socket -> {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy");
        });
        assertFalse(exchangeOnce(port, 5000).reusable());
        server.close();
        port = serve(socket -> {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        assertFalse(exchangeOnce(port, 5000).reusable());
    }

    @Test
    void skipsInformationalResponses() throws Exception {
        int port = serve(socket -> {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        HttpConnection.Response response = exchangeOnce(port, 5000);
        assertEquals(200, response.status());
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), response.body());
    }

    @Test
    void refusesWhatIsNotAnHttpResponse() throws Exception {
        int port = serve(socket -> {
            readRequest(socket.getInputStream());
            write(socket, "SSH-2.0-OpenSSH_9.6\r\n");
        });
        IOException e = assertThrows(IOException.class, () -> exchangeOnce(port, 5000));
        assertTrue(e.getMessage().contains("not an HTTP/1.x response"), e.getMessage());
    }

    @Test
    void refusesABodyOverTheLimitBeforeAllocatingIt() throws Exception {
        int port = serve(socket -> {
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 9000000000\r\n\r\n");
        });
        IOException e = assertThrows(IOException.class, () -> exchangeOnce(port, 5000));
        assertTrue(e.getMessage().contains("over the " + HttpConnection.MAX_BODY_BYTES), e.getMessage());
    }

    @Test
    void givesUpAtTheDeadlineWhenTheServerNeverAnswers() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        int port = serve(socket -> {
            readRequest(socket.getInputStream());
            done.await();
        });
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> exchangeOnce(port, 300));
        assertTrue(e.getMessage().contains("waiting for the response"), e.getMessage());
        done.countDown();
    }

    @Test
    void givesUpAtTheDeadlineWhenTheServerNeverReadsTheBody() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        int port = serve(socket -> done.await());
        byte[] big = new byte[64 * 1024 * 1024]; // far more than the socket buffers hold
        try (HttpConnection connection = HttpConnection.open("127.0.0.1", port, null, deadlineIn(5000))) {
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> connection.exchange(HEAD, big, deadlineIn(300)));
            assertTrue(e.getMessage().contains("sending the request"), e.getMessage());
        }
        done.countDown();
    }

    /** The two HTTP clients a RestTransport is measured with: the JDK's, and the tuned one. */
    enum Client {
        JDK, TUNED;

        RestTransport open(URI url) {
            return this == JDK ? new RestTransport(url, RestTransport.Body.RAW_JPEG)
                    : new RestTransport(url, RestTransport.Body.RAW_JPEG, new HttpConnectionPool(url,
                            Transport.DEFAULT_TIMEOUT), Transport.DEFAULT_TIMEOUT, " tuned");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aTransportKeepsItsConnectionAliveBetweenRequests(Client client) throws Exception {
        int port = serve(socket -> {
            while (true) {
                readRequest(socket.getInputStream());
                write(socket, "HTTP/1.1 200 OK\r\nContent-Length: " + PREDICT_OK.length() + "\r\n\r\n" + PREDICT_OK);
            }
        });
        try (RestTransport rest = client.open(URI.create("http://127.0.0.1:" + port + "/predict"))) {
            for (int i = 0; i < 5; i++) {
                assertEquals("OK", rest.send(new byte[3], false).status());
            }
        }
        assertEquals(1, server.connections());
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aTransportResendsOnANewConnectionWhenTheServerClosedTheIdleOne(Client client) throws Exception {
        int port = serve(socket -> { // answers one request per connection, then closes it as if idle too long
            readRequest(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: " + PREDICT_OK.length() + "\r\n\r\n" + PREDICT_OK);
        });
        try (RestTransport rest = client.open(URI.create("http://127.0.0.1:" + port + "/predict"))) {
            assertEquals("OK", rest.send(new byte[3], false).status());
            Thread.sleep(100); // let the close reach the client's idle connection
            assertEquals("OK", rest.send(new byte[3], false).status());
        }
        assertEquals(2, server.connections());
    }
}
