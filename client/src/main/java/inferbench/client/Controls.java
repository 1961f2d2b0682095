package inferbench.client;

/**
 * The keys and what they switch, as in the original client: 1 REST only, 2 gRPC only, 3 both,
 * s save on/off (both protocols), r reset the metrics, q or Esc quit. Workers read the state
 * from their own threads, so it lives in volatile fields.
 */
public final class Controls {
    public static final String KEYS = "1 REST only · 2 gRPC only · 3 both · s save on/off · r reset · q/Esc quit";

    /** Which protocols send frames; the numbers are the keys and the --mode values. */
    public enum Mode {
        REST_ONLY(1, "REST only"), GRPC_ONLY(2, "gRPC only"), BOTH(3, "both");

        public final int key;
        public final String label;

        Mode(int key, String label) {
            this.key = key;
            this.label = label;
        }

        public static Mode ofKey(int key) {
            for (Mode mode : values()) {
                if (mode.key == key) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--mode must be 1 (REST only), 2 (gRPC only) or 3 (both), got " + key);
        }

        public boolean rest() {
            return this != GRPC_ONLY;
        }

        public boolean grpc() {
            return this != REST_ONLY;
        }
    }

    /** What a key press asks of the application beyond the state kept here. */
    public enum Action { NONE, MODE_CHANGED, SAVE_TOGGLED, RESET, QUIT }

    private volatile Mode mode;
    private volatile boolean save;

    public Controls(Mode mode, boolean save) {
        this.mode = mode;
        this.save = save;
    }

    public Mode mode() {
        return mode;
    }

    public boolean save() {
        return save;
    }

    /** Applies one typed key (Esc is char 27); letters work in either case. */
    public synchronized Action press(char key) {
        switch (Character.toLowerCase(key)) {
            case '1', '2', '3' -> {
                mode = Mode.ofKey(key - '0');
                return Action.MODE_CHANGED;
            }
            case 's' -> {
                save = !save;
                return Action.SAVE_TOGGLED;
            }
            case 'r' -> {
                return Action.RESET;
            }
            case 'q', 27 -> {
                return Action.QUIT;
            }
            default -> {
                return Action.NONE;
            }
        }
    }
}
