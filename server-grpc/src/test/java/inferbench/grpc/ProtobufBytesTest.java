package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import inferbench.proto.Image;
import inferbench.samples.SampleFrames;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtobufBytesTest {
    private static final byte[] JPEG = SampleFrames.faceJpeg();

    @Test
    void aParsedImageLendsItsOwnArrayInsteadOfACopy() throws Exception {
        Image parsed = Image.parseFrom(Image.newBuilder().setData(ByteString.copyFrom(JPEG)).setMime("image/jpeg")
                .build().toByteArray());
        ByteBuffer first = ProtobufBytes.view(parsed.getData());
        ByteBuffer second = ProtobufBytes.view(parsed.getData());
        assertSame(first.array(), second.array());
        assertEquals(ByteBuffer.wrap(JPEG), first);
    }

    @Test
    void aByteStringInSeveralPiecesIsCopiedWhole() {
        ByteString rope = ByteString.copyFrom(JPEG, 0, 100_000)
                .concat(ByteString.copyFrom(JPEG, 100_000, JPEG.length - 100_000));
        assertEquals(ByteBuffer.wrap(JPEG), ProtobufBytes.view(rope));
    }

    @Test
    void anEmptyImageIsAnEmptyBuffer() {
        assertEquals(0, ProtobufBytes.view(ByteString.EMPTY).remaining());
    }
}
