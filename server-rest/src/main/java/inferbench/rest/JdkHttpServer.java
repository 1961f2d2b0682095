package inferbench.rest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates the JDK's {@link HttpServer} with the two JVM-wide switches this service needs set
 * first. The JDK reads them once, when the first server of the process is created, so every
 * server here is created through this class. A {@code -Dname=value} on the command line wins.
 */
final class JdkHttpServer {
    private JdkHttpServer() {
    }

    static HttpServer create(InetSocketAddress address) throws IOException {
        // HttpServer writes a reply's headers and body with two writes. With Nagle's algorithm
        // on, the body then waits for the client's delayed ACK of the headers (40 ms on Linux)
        // on every request of a kept-alive connection: 1,000 requests took 44 s instead of 0.5 s.
        defaultProperty("sun.net.httpserver.nodelay", "true");
        // Without a limit, a client that sends half a request and goes quiet holds a worker
        // forever. 60 s still lets a 16 MiB body arrive at 300 kB/s.
        defaultProperty("sun.net.httpserver.maxReqTime", "60");
        // backlog 0: the JDK default; connections beyond it wait in the kernel, not in our memory
        return HttpServer.create(address, 0);
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
