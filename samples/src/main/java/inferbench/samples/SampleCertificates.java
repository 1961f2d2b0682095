package inferbench.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throwaway certificate authority and a server certificate it signed, made in memory and
 * written as PEM files, for the tests and for the benchmark's TLS servers, so neither needs
 * openssl nor a private key in the repository. People make theirs with {@code make certs}
 * (openssl). The JDK can sign but has no public API to build a certificate, so the few DER
 * structures of an X.509 v3 certificate (RFC 5280) are written here: EC P-256 keys, ECDSA with
 * SHA-256, the host names and addresses as subject alternative names.
 */
public final class SampleCertificates {
    /** The PEM files: the CA's certificate (what a client trusts), the server's certificate and key. */
    public record PemFiles(Path ca, Path cert, Path key) {
    }

    private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SampleCertificates() {
    }

    /** A CA and a certificate for localhost and 127.0.0.1, valid from yesterday for 30 days, in {@code dir}. */
    public static PemFiles localhost(Path dir) {
        return write(dir, "localhost", "127.0.0.1");
    }

    /**
     * @param names the server's host names and IP addresses (an address is recognised by its digits
     *              and dots or colons); the first is also its common name
     */
    public static PemFiles write(Path dir, String... names) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair ca = generator.generateKeyPair();
            KeyPair server = generator.generateKeyPair();
            String caName = "inferbench sample CA";
            byte[] caCert = certificate(caName, ca.getPublic(), caName, ca, true, List.of());
            byte[] serverCert = certificate(names[0], server.getPublic(), caName, ca, false, List.of(names));
            Files.createDirectories(dir);
            PemFiles files = new PemFiles(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                    dir.resolve("server-key.pem"));
            Files.writeString(files.ca(), pem("CERTIFICATE", caCert));
            Files.writeString(files.cert(), pem("CERTIFICATE", serverCert));
            Files.writeString(files.key(), pem("PRIVATE KEY", server.getPrivate().getEncoded()));
            return files;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make the sample certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] certificate(String subject, PublicKey key, String issuer, KeyPair issuerKeys, boolean isCa,
                                      List<String> names) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(extension("2.5.29.19", true, isCa ? seq(tlv(0x01, (byte) 0xff)) : seq())); // basicConstraints
        // keyUsage: keyCertSign and cRLSign for the CA, digitalSignature for the server (ECDSA)
        extensions.add(extension("2.5.29.15", true, isCa ? tlv(0x03, 1, 0x06) : tlv(0x03, 7, 0x80)));
        extensions.add(extension("2.5.29.14", false, tlv(0x04, keyId(key)))); // subjectKeyIdentifier
        extensions.add(extension("2.5.29.35", false, seq(tlv(0x80, keyId(issuerKeys.getPublic())))));
        if (!isCa) {
            extensions.add(extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1")))); // serverAuth
            List<byte[]> alternatives = new ArrayList<>();
            for (String name : names) {
                alternatives.add(name.matches("[0-9.]+|.*:.*") ? tlv(0x87, InetAddress.getByName(name).getAddress())
                        : tlv(0x82, name.getBytes(StandardCharsets.US_ASCII)));
            }
            extensions.add(extension("2.5.29.17", false, seq(alternatives.toArray(byte[][]::new))));
        }
        byte[] tbs = seq(
                tlv(0xa0, tlv(0x02, 2)), // version 3
                tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                seq(oid(ECDSA_SHA256)),
                name(issuer),
                seq(time(now.minus(Duration.ofDays(1))), time(now.plus(Duration.ofDays(30)))),
                name(subject),
                key.getEncoded(), // SubjectPublicKeyInfo
                tlv(0xa3, seq(extensions.toArray(byte[][]::new))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(issuerKeys.getPrivate());
        signer.update(tbs);
        return seq(tbs, seq(oid(ECDSA_SHA256)), bitString(signer.sign()));
    }

    private static byte[] extension(String id, boolean critical, byte[] value) {
        return critical ? seq(oid(id), tlv(0x01, (byte) 0xff), tlv(0x04, value)) : seq(oid(id), tlv(0x04, value));
    }

    private static byte[] name(String commonName) {
        return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant instant) {
        return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1]; // a leading 0: no unused bits
        System.arraycopy(bits, 0, content, 1, bits.length);
        return tlv(0x03, content);
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, 40 * Long.parseLong(arcs[0]) + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return tlv(0x06, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
            out.write((int) ((value >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
        }
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    private static byte[] tlv(int tag, int... content) {
        byte[] bytes = new byte[content.length];
        for (int i = 0; i < content.length; i++) {
            bytes[i] = (byte) content[i];
        }
        return tlv(tag, bytes);
    }

    /** One DER element: its tag, its length (short or long form), then its parts' bytes. */
    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int b = bytes - 1; b >= 0; b--) {
                out.write(length >>> (8 * b));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
