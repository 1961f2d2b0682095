package inferbench.grpc.limits;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.BindableService;
import io.grpc.ForwardingServerBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses each request in this server's code rather than in grpc's, so that a request that cannot
 * be parsed gets a status that says why. grpc-java (1.85) parses with the method's marshaller in
 * {@code ServerCallImpl}, and whatever the marshaller throws, even a StatusRuntimeException,
 * becomes UNKNOWN "Application error processing RPC" ({@code ServerImpl}'s
 * {@code JumpToApplicationThreadServerStreamListener.internalClose}), logged as SEVERE with a stack
 * trace, for every 9-byte garbage call.
 *
 * <p>Here every method of a service receives its request as the InputStream grpc collected, and
 * the handler's listener gets it parsed by the method's own marshaller. What cannot be parsed is
 * the client's mistake: malformed protobuf is INVALID_ARGUMENT, a compressed message that
 * inflates past {@code --max-body} RESOURCE_EXHAUSTED (in grpc's own words); the handler never
 * sees the call again. Responses pass through unchanged.
 *
 * <p>It takes each service as the server's code adds it to the builder
 * ({@link #parsingEveryService}), so that code adds its services as usual.
 */
final class RequestParsing {
    /** Leaves the request as grpc collected it; the handler's listener parses it. */
    private static final MethodDescriptor.Marshaller<InputStream> UNPARSED = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private final ClientErrorLog errors;

    RequestParsing(ClientErrorLog errors) {
        this.errors = errors;
    }

    /** A builder that adds every service it is given as {@link #of} makes it; the rest goes to {@code builder}. */
    ServerBuilder<?> parsingEveryService(ServerBuilder<?> builder) {
        return new ParsingBuilder(builder);
    }

    /** The same service (name, methods, schema for reflection), its requests parsed here. */
    ServerServiceDefinition of(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<InputStream, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<InputStream, ?> parsedHere = parsedHere(method);
            descriptor.addMethod(parsedHere.getMethodDescriptor());
            methods.add(parsedHere);
        }
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(builder::addMethod);
        return builder.build();
    }

    private <ReqT, RespT> ServerMethodDefinition<InputStream, RespT> parsedHere(
            ServerMethodDefinition<ReqT, RespT> definition) {
        MethodDescriptor<ReqT, RespT> method = definition.getMethodDescriptor();
        MethodDescriptor<InputStream, RespT> unparsed = method.toBuilder(UNPARSED, method.getResponseMarshaller())
                .build();
        ServerCallHandler<ReqT, RespT> handler = definition.getServerCallHandler();
        return ServerMethodDefinition.create(unparsed, (call, headers) -> {
            ServerCall.Listener<ReqT> listener = handler.startCall(new TypedCall<>(call, method), headers);
            return new ParsingListener<>(call, method, listener);
        });
    }

    private final class ParsingBuilder extends ForwardingServerBuilder<ParsingBuilder> {
        private final ServerBuilder<?> builder;

        ParsingBuilder(ServerBuilder<?> builder) {
            this.builder = builder;
        }

        @Override
        protected ServerBuilder<?> delegate() {
            return builder;
        }

        @Override
        public ParsingBuilder addService(ServerServiceDefinition service) {
            builder.addService(of(service));
            return this;
        }

        @Override
        public ParsingBuilder addService(BindableService service) {
            return addService(service.bindService());
        }
    }

    /** Hands the handler parsed requests; after a request that cannot be parsed, nothing more. */
    private final class ParsingListener<ReqT, RespT> extends ServerCall.Listener<InputStream> {
        private final ServerCall<InputStream, RespT> call;
        private final MethodDescriptor<ReqT, RespT> method;
        private final ServerCall.Listener<ReqT> handler;
        private boolean refused;

        ParsingListener(ServerCall<InputStream, RespT> call, MethodDescriptor<ReqT, RespT> method,
                        ServerCall.Listener<ReqT> handler) {
            this.call = call;
            this.method = method;
            this.handler = handler;
        }

        @Override
        public void onMessage(InputStream message) {
            if (refused) {
                return;
            }
            ReqT request;
            try {
                request = method.parseRequest(message);
            } catch (StatusRuntimeException e) {
                refuse(unreadable(e));
                return;
            }
            handler.onMessage(request);
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                handler.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!refused) {
                handler.onReady();
            }
        }

        @Override
        public void onCancel() {
            handler.onCancel();
        }

        @Override
        public void onComplete() {
            handler.onComplete();
        }

        private void refuse(Status status) {
            refused = true;
            call.close(status, new Metadata());
            errors.report(status.getCode() + " " + method.getFullMethodName(), ClientErrorLog.who(call.getAttributes(),
                    method.getFullMethodName()) + ": " + status.getCode() + " " + status.getDescription());
        }
    }

    /**
     * What the client is told. grpc's protobuf marshaller reports malformed bytes as INTERNAL
     * "Invalid protobuf byte sequence", with protobuf's reason as the cause; an inflated message
     * over the limit arrives as grpc's own RESOURCE_EXHAUSTED.
     */
    private static Status unreadable(StatusRuntimeException e) {
        Status status = e.getStatus();
        if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            return Status.RESOURCE_EXHAUSTED.withDescription(status.getDescription());
        }
        String reason = status.getCause() instanceof InvalidProtocolBufferException malformed
                ? malformed.getMessage() : status.getDescription();
        return Status.INVALID_ARGUMENT.withDescription("malformed request: not a valid protobuf message (" + reason + ")");
    }
}
