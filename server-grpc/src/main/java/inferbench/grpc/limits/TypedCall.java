package inferbench.grpc.limits;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.io.InputStream;

/** The handler's view of the call: the method as declared, its requests already parsed. */
final class TypedCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
    private final ServerCall<InputStream, RespT> call;
    private final MethodDescriptor<ReqT, RespT> method;

    TypedCall(ServerCall<InputStream, RespT> call, MethodDescriptor<ReqT, RespT> method) {
        this.call = call;
        this.method = method;
    }

    @Override
    public void request(int numMessages) {
        call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
        call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(RespT message) {
        call.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
        call.close(status, trailers);
    }

    @Override
    public boolean isReady() {
        return call.isReady();
    }

    @Override
    public boolean isCancelled() {
        return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
        call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
        call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
        call.setOnReadyThreshold(numBytes);
    }

    @Override
    public Attributes getAttributes() {
        return call.getAttributes();
    }

    @Override
    public String getAuthority() {
        return call.getAuthority();
    }

    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
        return method;
    }
}
