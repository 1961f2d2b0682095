package inferbench.link;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/**
 * What an emulated link does to the bytes that cross it: a round-trip time, a rate each way and
 * a jitter. {@link LinkProfiles} names the usual ones and reads the custom form.
 *
 * @param name     how reports and panels call it: a profile's name, or the custom form as given
 * @param rtt      the round-trip time, half of it each way
 * @param upBits   bits per second from the client to the server, 0 for no rate limit
 * @param downBits bits per second from the server to the client, 0 for no rate limit
 * @param jitter   each chunk's one-way delay varies by up to this much either way
 */
public record LinkProfile(String name, Duration rtt, long upBits, long downBits, Duration jitter) {

    public LinkProfile {
        if (rtt.isNegative() || jitter.isNegative() || upBits < 0 || downBits < 0) {
            throw new IllegalArgumentException("a link's round-trip time, rates and jitter cannot be negative");
        }
    }

    public double rttMillis() {
        return rtt.toNanos() / 1e6;
    }

    /**
     * How long the link takes to carry a call's bytes at its rates, ms, before any delay: what a
     * frame costs on a slow link however few round trips its protocol needs. 0 without rates.
     */
    public double transmitMillis(double upBytes, double downBytes) {
        return millisAt(upBytes, upBits) + millisAt(downBytes, downBits);
    }

    /** "4g: RTT 50 ms, up 6 Mbit/s, down 20 Mbit/s", as reports and panels show it. */
    public String describe() {
        return name + ": " + figures();
    }

    /** "RTT 50 ms, up 6 Mbit/s, down 20 Mbit/s, jitter 2 ms". */
    public String figures() {
        String rates = upBits == 0 && downBits == 0 ? "no rate limit"
                : "up " + rate(upBits) + ", down " + rate(downBits);
        return "RTT " + millis(rtt) + ", " + rates + (jitter.isZero() ? "" : ", jitter " + millis(jitter));
    }

    private static double millisAt(double bytes, long bitsPerSecond) {
        return bitsPerSecond == 0 ? 0 : bytes * 8 * 1000 / bitsPerSecond;
    }

    static String rate(long bitsPerSecond) {
        if (bitsPerSecond == 0) {
            return "no limit";
        }
        if (bitsPerSecond >= 1_000_000_000 && bitsPerSecond % 1_000_000 == 0) {
            return trim(bitsPerSecond / 1e9) + " Gbit/s";
        }
        if (bitsPerSecond >= 1_000_000) {
            return trim(bitsPerSecond / 1e6) + " Mbit/s";
        }
        return trim(bitsPerSecond / 1e3) + " kbit/s";
    }

    public static String millis(Duration duration) {
        return trim(duration.toNanos() / 1e6) + " ms";
    }

    private static String trim(double value) {
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
