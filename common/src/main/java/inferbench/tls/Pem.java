package inferbench.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files, as openssl writes them: certificates ({@code BEGIN CERTIFICATE}), which the JDK
 * reads itself, and private keys in PKCS#8 ({@code BEGIN PRIVATE KEY}), which it reads only as
 * bytes, so they are taken out of their Base64 here. Every failure names the file and says
 * what to do: the other key formats openssl writes come with the command that converts them.
 */
public final class Pem {
    /** A chain or a key is a few kilobytes; a file far bigger is not one. */
    private static final long MAX_BYTES = 1024 * 1024;
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private Pem() {
    }

    /** Every certificate in the file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file, String what) {
        String text = read(file, what);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(what + " " + file + ": no \"BEGIN CERTIFICATE\" block in it"
                    + (blockTypes(text).isEmpty() ? " (is it PEM?)" : " (it holds " + blockTypes(text) + ")"));
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            for (var c : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
                chain.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " " + file + ": not a readable PEM certificate (" + e.getMessage()
                    + "); openssl x509 -in " + file + " -noout -text shows what it holds");
        }
        return chain;
    }

    /** The one private key in the file, which must be PKCS#8 and not encrypted. */
    public static PrivateKey privateKey(Path file, String what) {
        String text = read(file, what);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, what, Base64.getMimeDecoder().decode(block.group(2)));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException(what + " " + file
                        + ": a \"BEGIN " + type + "\" key (" + (type.startsWith("RSA") ? "PKCS#1" : "SEC 1")
                        + "); give it as PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(what + " " + file
                        + ": the key is encrypted; the server takes it unencrypted (keep the file readable by it"
                        + " alone): openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                case "OPENSSH PRIVATE KEY" -> throw new IllegalArgumentException(what + " " + file
                        + ": an OpenSSH key, not a TLS one: make a key and certificate with `make certs`");
                default -> {
                    // a certificate or parameters before the key: look further
                }
            }
        }
        throw new IllegalArgumentException(what + " " + file + ": no \"BEGIN PRIVATE KEY\" block in it"
                + (blockTypes(text).isEmpty() ? " (is it PEM?)" : " (it holds " + blockTypes(text)
                + (blockTypes(text).contains("CERTIFICATE") ? ": the certificate, not its key?" : "") + ")"));
    }

    private static PrivateKey pkcs8(Path file, String what, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(what + " " + file + ": a PKCS#8 key of none of the kinds the JDK reads ("
                + String.join(", ", KEY_ALGORITHMS) + ")");
    }

    private static String read(Path file, String what) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(what + " " + file + ": " + Files.size(file)
                        + " bytes is too big for a PEM certificate or key");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot read it ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " "
                    + e.getMessage()) + ")");
        }
    }

    /** "CERTIFICATE, PRIVATE KEY": the kinds of PEM block in a text, for an error message. */
    private static String blockTypes(String text) {
        List<String> types = new ArrayList<>();
        for (Matcher m = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----").matcher(text); m.find(); ) {
            types.add(m.group(1));
        }
        return String.join(", ", types);
    }
}
