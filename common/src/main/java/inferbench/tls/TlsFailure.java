package inferbench.tls;

import java.security.cert.CertificateExpiredException;
import java.util.Locale;

/**
 * A failed connection said in words a person can act on, when TLS is what went wrong: the
 * certificate not trusted or not for this host, or the two ends not speaking the same thing
 * (a TLS client at a plaintext port, or the other way round). The JDK, Netty and BoringSSL word
 * these differently, often deep in the causes, so each is recognised by its cause chain.
 */
public final class TlsFailure {
    private TlsFailure() {
    }

    /**
     * @param error what the connection failed with
     * @param tls   the client's TLS, to say which way round a mismatch is and whom it trusts
     * @return the explanation, or null when nothing in {@code error} points at TLS
     */
    public static String explain(Throwable error, ClientTls tls) {
        String all = chain(error);
        if (tls.enabled()) {
            if (has(error, CertificateExpiredException.class) || all.contains("certificate expired")) {
                return "the server's certificate has expired";
            }
            if (all.contains("no subject alternative") || all.contains("no name matching")) {
                return "the server's certificate is not for this host name (" + find(error, "subject alternative",
                        "name matching") + ")";
            }
            if (all.contains("pkix path") || all.contains("unable to find valid certification path")
                    || all.contains("certificate_unknown") || all.contains("certificate_verify_failed")) {
                return "the server's certificate is not trusted: no CA in " + tls.trusted() + " signed it"
                        + (tls.ca() == null ? " (give its CA with --ca FILE)" : "");
            }
            if (all.contains("no_application_protocol") || all.contains("failed alpn negotiation")) {
                return "the server's TLS offers neither HTTP/1.1 nor HTTP/2 as this client asks (ALPN):"
                        + " likely the other protocol's port";
            }
            if (all.contains("unsupported or unrecognized ssl message") || all.contains("notsslrecordexception")
                    || all.contains("not an ssl/tls record") || all.contains("wrong_version_number")
                    || all.contains("plaintext connection?")) {
                return "the server answered in plaintext: this port does not serve TLS (leave out --tls)";
            }
            return null;
        }
        if (startsLikeTls(all)) {
            return "the server answered with TLS: this port serves TLS (use --tls, and --ca FILE for a private CA)";
        }
        // What a TLS port does with a plaintext request: it closes the connection without a word.
        if (all.contains("received no bytes") || all.contains("connection reset")
                || all.contains("closed the connection without answering")
                || all.contains("network closed for unknown reason")) {
            return "the server closed the connection without an answer: if this port serves TLS, use --tls";
        }
        return null;
    }

    /** A TLS alert record (0x15 0x03) where an HTTP status line should be, as a client reports it. */
    private static boolean startsLikeTls(String all) {
        return all.contains("\u0015\u0003") || all.contains("invalid status line: \"\u0015");
    }

    private static String chain(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The first message in the causes that holds one of the words, as it was written. */
    private static String find(Throwable error, String... words) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            for (String word : words) {
                if (message != null && message.toLowerCase(Locale.ROOT).contains(word)) {
                    return message;
                }
            }
        }
        return "";
    }
}
