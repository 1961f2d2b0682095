package inferbench.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags, then environment variables, then defaults: the order every main uses.
 *
 * <p>Flags are {@code --name value} or {@code --name=value}; a flag with no value (such as
 * {@code --save}) reads as "true". After reading what it needs, a main calls
 * {@link #rejectUnknown()} so a misspelt flag is an error instead of being silently ignored.
 */
public final class Config {
    private final Map<String, String> flags = new HashMap<>();
    private final Map<String, String> env;
    private final Set<String> asked = new HashSet<>();

    public Config(String[] args, Map<String, String> env) {
        this.env = env;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options look like --name value)");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                flags.put(arg.substring(2), args[++i]);
            } else {
                flags.put(arg.substring(2), "true");
            }
        }
    }

    public static Config fromMain(String[] args) {
        return new Config(args, System.getenv());
    }

    public boolean has(String flag) {
        asked.add(flag);
        return flags.containsKey(flag);
    }

    /** The flag's value, else the environment variable's (if {@code envName} is not null), else the default. */
    public String get(String flag, String envName, String defaultValue) {
        asked.add(flag);
        String value = flags.get(flag);
        if (value == null && envName != null) {
            value = env.get(envName);
        }
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    public int getInt(String flag, String envName, int defaultValue, int min) {
        return (int) getLong(flag, envName, defaultValue, min, Integer.MAX_VALUE);
    }

    public long getLong(String flag, String envName, long defaultValue, long min, long max) {
        String text = get(flag, envName, null);
        if (text == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source(flag, envName) + ": expected a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(source(flag, envName) + ": " + value + " is out of range ["
                    + min + ", " + max + "]");
        }
        return value;
    }

    /** Seconds, with a fraction if wanted ("0.5"), to the millisecond, within [min, max]. */
    public Duration getSeconds(String flag, String envName, Duration defaultValue, Duration min, Duration max) {
        String text = get(flag, envName, null);
        if (text == null) {
            return defaultValue;
        }
        Duration value;
        try {
            value = Duration.ofMillis(new BigDecimal(text).movePointRight(3).setScale(0, RoundingMode.UP)
                    .longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(source(flag, envName) + ": expected seconds such as 10 or 0.5, got '"
                    + text + "'");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(source(flag, envName) + ": " + text + " s is out of range ["
                    + seconds(min) + ", " + seconds(max) + "] s");
        }
        return value;
    }

    /** A duration as seconds, as the options take them: "10", "0.5". */
    public static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    public boolean getBoolean(String flag, String envName, boolean defaultValue) {
        String text = get(flag, envName, null);
        if (text == null) {
            return defaultValue;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(source(flag, envName) + ": expected true or false, got '"
                    + text + "'");
        };
    }

    /** Throws if a flag was given that no {@code get} asked for. */
    public void rejectUnknown() {
        for (String flag : flags.keySet()) {
            if (!asked.contains(flag)) {
                throw new IllegalArgumentException("unknown option --" + flag + " (see --help)");
            }
        }
    }

    private String source(String flag, String envName) {
        return flags.containsKey(flag) || envName == null ? "--" + flag : "--" + flag + " / " + envName;
    }
}
