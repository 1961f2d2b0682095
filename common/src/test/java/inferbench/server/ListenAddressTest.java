package inferbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.config.Config;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
    private static ServerSettings settings(String bind, int port) {
        return ServerSettings.read(new Config(new String[] {"--bind", bind, "--port", Integer.toString(port)}, Map.of()),
                port);
    }

    @Test
    void writesEitherWildcardAsAllInterfaces() throws Exception {
        assertEquals("0.0.0.0:8001", ListenAddress.hostPort(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8001)));
        assertEquals("0.0.0.0:50051", ListenAddress.hostPort(new InetSocketAddress(InetAddress.getByName("::"), 50051)));
    }

    @Test
    void writesAnIpv6AddressInBrackets() throws Exception {
        assertEquals("127.0.0.1:8001", ListenAddress.hostPort(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8001)));
        assertEquals("[0:0:0:0:0:0:0:1]:8001", ListenAddress.hostPort(new InetSocketAddress(InetAddress.getByName("::1"), 8001)));
    }

    @Test
    void resolvesTheConfiguredAddress() {
        assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8001),
                ListenAddress.resolve(settings("127.0.0.1", 8001)));
    }

    @Test
    void explainsABusyPortWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket second = new ServerSocket()) {
            int port = taken.getLocalPort();
            IOException failure;
            try {
                second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                throw new AssertionError("bound a port that is in use");
            } catch (BindException e) {
                failure = ListenAddress.bindFailure(settings("127.0.0.1", port), e);
            }
            assertEquals("port " + port + " is in use: stop the other server or pass --port", failure.getMessage());
        }
    }

    @Test
    void explainsAnyOtherBindFailureWithTheSystemsReason() {
        IOException failure = ListenAddress.bindFailure(settings("10.255.255.1", 8001),
                new IOException("bind failed", new BindException("Cannot assign requested address")));
        assertEquals("cannot listen on 10.255.255.1:8001: Cannot assign requested address (check --bind and --port)",
                failure.getMessage());
        assertTrue(failure.getCause() instanceof IOException);
    }
}
