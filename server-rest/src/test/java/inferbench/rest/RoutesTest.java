package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routing and the last-resort 500, on a plain HttpServer with endpoints written for the test. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoutesTest {
    private HttpServer http;

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", new Routes(1024)
                .add("GET", "/thing", (exchange, body) -> "{\"ok\":true}")
                .add("PUT", "/thing", (exchange, body) -> "{\"put\":true}")
                .add("GET", "/boom", (exchange, body) -> {
                    throw new IllegalStateException("secret internal state");
                }));
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private RawHttp.Response get(String path) throws Exception {
        try (RawHttp connection = new RawHttp(http.getAddress().getPort())) {
            return connection.exchange(RawHttp.request("GET", path, null));
        }
    }

    @Test
    void answersAGenuineFaultWith500AndAGenericDetail() throws Exception {
        RawHttp.Response response = get("/boom");
        assertEquals(500, response.status());
        assertEquals("internal server error", response.json().get("detail"));
        assertFalse(response.body().contains("secret"));
    }

    @Test
    void matchesPathsExactlyNotByPrefix() throws Exception {
        assertEquals(200, get("/thing").status());
        assertEquals(404, get("/things").status());
        assertEquals(404, get("/thing/1").status());
    }

    @Test
    void listsEveryAllowedMethodIn405() throws Exception {
        try (RawHttp connection = new RawHttp(http.getAddress().getPort())) {
            RawHttp.Response response = connection.exchange(RawHttp.request("POST", "/thing", new byte[10]));
            assertEquals(405, response.status());
            assertEquals("GET, PUT", response.header("Allow"));
        }
    }
}
