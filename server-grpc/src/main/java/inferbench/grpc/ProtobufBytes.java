package inferbench.grpc;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * An image's bytes as protobuf holds them, without the copy {@code ByteString.toByteArray()}
 * makes: 275 kB per 1280x720 frame, about 50 us and as much garbage, paid on every call before
 * detection even starts.
 *
 * <p>A parsed message keeps its bytes field in one array, and
 * {@link UnsafeByteOperations#unsafeWriteTo} hands that array over ("unsafe" because whoever gets
 * it could change the message; the pipeline only reads it). A ByteString made of several pieces
 * is copied, as before.
 */
final class ProtobufBytes {
    private ProtobufBytes() {
    }

    static ByteBuffer view(ByteString bytes) {
        WholeArray whole = new WholeArray();
        try {
            UnsafeByteOperations.unsafeWriteTo(bytes, whole);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // WholeArray throws nothing
        }
        if (whole.pieces == 1 && whole.view != null && whole.view.remaining() == bytes.size()) {
            return whole.view;
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** Keeps the array a ByteString hands over in one piece; counts anything else. */
    private static final class WholeArray extends ByteOutput {
        ByteBuffer view;
        int pieces;

        @Override
        public void writeLazy(byte[] value, int offset, int length) {
            pieces++;
            view = ByteBuffer.wrap(value, offset, length).slice();
        }

        @Override
        public void write(byte[] value, int offset, int length) {
            pieces++;
        }

        @Override
        public void write(byte value) {
            pieces++;
        }

        @Override
        public void write(ByteBuffer value) {
            pieces++;
        }

        @Override
        public void writeLazy(ByteBuffer value) {
            pieces++;
        }
    }
}
