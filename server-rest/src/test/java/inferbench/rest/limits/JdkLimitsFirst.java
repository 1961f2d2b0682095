package inferbench.rest.limits;

import inferbench.config.Config;
import inferbench.server.ServerSettings;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets the JDK HttpServer's JVM-wide switches ({@link JdkLimits}, the server's defaults) before
 * any test class runs. The JDK reads them once, when the test JVM creates its first server, and
 * some tests create plain HttpServers without the limits: whichever test ran first would
 * otherwise decide them for all. Registered for every test class of this module
 * (META-INF/services, junit-platform.properties).
 */
public final class JdkLimitsFirst implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        JdkLimits.set(ServerSettings.read(new Config(new String[0], Map.of()), 0).limits());
    }
}
