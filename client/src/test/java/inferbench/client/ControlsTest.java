package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.client.Controls.Action;
import inferbench.client.Controls.Mode;
import org.junit.jupiter.api.Test;

class ControlsTest {
    @Test
    void numberKeysChooseWhichProtocolsSend() {
        Controls controls = new Controls(Mode.BOTH, false);
        assertEquals(Action.MODE_CHANGED, controls.press('1'));
        assertEquals(Mode.REST_ONLY, controls.mode());
        assertTrue(controls.mode().rest());
        assertFalse(controls.mode().grpc());
        controls.press('2');
        assertEquals(Mode.GRPC_ONLY, controls.mode());
        assertFalse(controls.mode().rest());
        assertTrue(controls.mode().grpc());
        controls.press('3');
        assertEquals(Mode.BOTH, controls.mode());
        assertTrue(controls.mode().rest() && controls.mode().grpc());
    }

    @Test
    void sTogglesSavingForBothProtocolsWithoutChangingTheMode() {
        Controls controls = new Controls(Mode.REST_ONLY, false);
        assertEquals(Action.SAVE_TOGGLED, controls.press('s'));
        assertTrue(controls.save());
        assertEquals(Action.SAVE_TOGGLED, controls.press('S'));
        assertFalse(controls.save());
        assertEquals(Mode.REST_ONLY, controls.mode());
    }

    @Test
    void rAsksForAResetAndChangesNothingElse() {
        Controls controls = new Controls(Mode.GRPC_ONLY, true);
        assertEquals(Action.RESET, controls.press('r'));
        assertEquals(Mode.GRPC_ONLY, controls.mode());
        assertTrue(controls.save());
    }

    @Test
    void qAndEscapeQuit() {
        Controls controls = new Controls(Mode.BOTH, false);
        assertEquals(Action.QUIT, controls.press('q'));
        assertEquals(Action.QUIT, controls.press('Q'));
        assertEquals(Action.QUIT, controls.press((char) 27));
    }

    @Test
    void otherKeysChangeNothing() {
        Controls controls = new Controls(Mode.BOTH, true);
        for (char key : "04x \n".toCharArray()) {
            assertEquals(Action.NONE, controls.press(key));
        }
        assertEquals(Mode.BOTH, controls.mode());
        assertTrue(controls.save());
    }

    @Test
    void modeNumbersOutsideOneToThreeAreRefused() {
        assertEquals(Mode.GRPC_ONLY, Mode.ofKey(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.ofKey(4));
        assertEquals("--mode must be 1 (REST only), 2 (gRPC only) or 3 (both), got 4", e.getMessage());
    }
}
