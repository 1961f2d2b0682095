package inferbench.client.transport;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into a byte array, as {@code BodyHandlers.ofByteArray()} does, up
 * to a limit: a body declared or found to be longer fails the request as soon as that is known,
 * instead of being collected first.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
    private final long limit;
    private final long declared;
    private Flow.Subscription subscription;
    private long received;
    private boolean refused;

    private BoundedBody(long limit, long declared) {
        this.limit = limit;
        this.declared = declared;
    }

    /** Bodies of at most {@code limit} bytes; a Content-Length over it is refused before any is read. */
    static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new BoundedBody(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        bytes.onSubscribe(subscription);
        if (declared > limit) {
            refuse();
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (refused) {
            return;
        }
        for (ByteBuffer item : items) {
            received += item.remaining();
        }
        if (received > limit) {
            refuse();
        } else {
            bytes.onNext(items);
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!refused) {
            bytes.onError(error);
        }
    }

    @Override
    public void onComplete() {
        if (!refused) {
            bytes.onComplete();
        }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return bytes.getBody();
    }

    private void refuse() {
        refused = true;
        subscription.cancel();
        bytes.onError(new IOException("the reply body is over the " + limit + " byte limit"));
    }
}
