package dev.berth.daemon.http;

import dev.berth.common.EngineException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline: {@code [SslHandler] -> HttpServerCodec -> HttpDispatcher}. One instance per connection.
 *
 * <p>Routes each request and runs its handler on a virtual thread (the event loop never blocks), streaming the
 * body to it through a {@link BodyStream}. For a hijack route, once the request has been read, the codec is removed
 * here on the event loop and a raw handler takes its place, in that order: the raw handler is added first so that
 * bytes the decoder still holds are passed on, not lost (see LIBRARIES.md on Netty's hijack order).
 */
public final class HttpDispatcher extends ChannelInboundHandlerAdapter {
    /** The JSON before a hijacked stream (exec start, attach) is small; more is refused up front. */
    static final long MAX_HIJACK_BODY = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);

    private final Router router;
    private final ExecutorService workers;
    private Writability writability;
    private BodyStream body;
    private Exchange exchange;
    private Route route;
    private boolean discarding;

    public HttpDispatcher(Router router, ExecutorService workers) {
        this.router = router;
        this.workers = workers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        writability = new Writability(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) onRequest(ctx, req);
            if (msg instanceof HttpContent content) onContent(ctx, content);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        body = new BodyStream(ctx.channel());
        discarding = false;
        route = null;
        if (req.decoderResult().isFailure()) {
            discarding = true;
            answerNow(ctx, req, "/", Map.of(), 400, "malformed HTTP request: " + req.decoderResult().cause().getMessage());
            return;
        }
        String rawPath = new QueryStringDecoder(req.uri()).path();
        ApiVersion.Versioned v;
        try {
            v = ApiVersion.split(rawPath);
        } catch (EngineException e) {
            discarding = true;
            answerNow(ctx, req, rawPath, Map.of(), ErrorMapper.status(e), e.getMessage());
            return;
        }
        Router.Match m = router.match(req.method().name(), v.path());
        if (m == null || m.route() == null) {
            discarding = true;
            answerNow(ctx, req, v.path(), Map.of(), 404, "page not found");
            return;
        }
        route = m.route();
        if (route.hijack() && io.netty.handler.codec.http.HttpUtil.getContentLength(req, 0L) > MAX_HIJACK_BODY) {
            // A hijack route is dispatched only once its body is in, and the body stream stops reading when full:
            // an oversized body would stall the connection, so it is refused before it is read.
            discarding = true;
            route = null;
            answerNow(ctx, req, v.path(), Map.of(), 400, "request body too large: at most " + MAX_HIJACK_BODY + " bytes");
            return;
        }
        exchange = new Exchange(ctx.channel(), req, v.version(), v.path(), m.params(), body, writability);
        log.debug("{} {}", req.method(), req.uri());
        if (!route.hijack()) dispatch(exchange, route);
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (!discarding) {
            ByteBuf buf = content.content();
            if (buf.isReadable()) body.offer(ByteBufUtil.getBytes(buf));
            if (last) {
                if (route != null && route.hijack()) {
                    hijack(ctx);
                } else {
                    body.end();
                }
            }
        }
        if (last) body.requestComplete(); // the request is read: a response that went out before may close now
    }

    /** Swaps the HTTP codec for raw byte handling; what the client sends next feeds the same body stream. */
    private void hijack(ChannelHandlerContext ctx) {
        var stream = body;
        var ex = exchange;
        ex.markHijacked();
        ctx.pipeline().addLast("raw", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                try {
                    if (msg instanceof ByteBuf b && b.isReadable()) stream.offer(ByteBufUtil.getBytes(b));
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                // Half-close by the client (CloseWrite in Go) ends stdin.
                if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) stream.end();
            }

            @Override
            public void channelInactive(ChannelHandlerContext c) {
                stream.end();
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext c) {
                writability.signal();
            }
        });
        ctx.pipeline().remove(this);
        ctx.pipeline().remove(HttpServerCodec.class);
        dispatch(ex, route);
    }

    private void dispatch(Exchange ex, Route r) {
        workers.execute(() -> {
            try {
                r.handler().handle(ex);
                if (!ex.answered()) ex.status(204);
            } catch (Throwable e) {
                int status = ErrorMapper.status(e);
                if (e instanceof InterruptedException || e instanceof java.io.InterruptedIOException) {
                    // Only the daemon's shutdown interrupts handlers; the connection closes with it.
                    log.debug("{} {}: interrupted by shutdown", ex.method(), ex.path());
                    return;
                }
                if (ex.answered() && ex.clientGone()) {
                    // The client hung up on a stream (wait, logs -f, attach): nothing failed on our side.
                    log.debug("{} {}: client went away: {}", ex.method(), ex.path(), e.getMessage());
                    return;
                }
                if (status >= 500) log.error("{} {}: {}", ex.method(), ex.path(), e.toString(), e);
                else log.debug("{} {}: {} {}", ex.method(), ex.path(), status, e.getMessage());
                if (!ex.answered()) {
                    ex.error(status, ErrorMapper.message(e));
                } else if (!ex.clientGone()) {
                    log.debug("error after the response began; closing", e);
                    ex.abort();
                }
            }
        });
    }

    private void answerNow(ChannelHandlerContext ctx, HttpRequest req, String path, Map<String, String> params,
                           int status, String message) {
        var ex = new Exchange(ctx.channel(), req, ApiVersion.CURRENT, path, params, body, writability);
        ex.error(status, message);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        writability.signal();
        super.channelWritabilityChanged(ctx);
    }

    /**
     * The client closed its sending side before a hijack: HTTP clients (Go's, curl) never half-close a request, so it
     * has hung up, typically a keep-alive connection closed after its last response. The connection is closed here:
     * with half-closure allowed (for hijacked streams) Netty would keep it open, and its epoll registration would
     * keep waking the event loop.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (body != null) body.end();
        writability.signal();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection error: {}", cause.toString());
        ctx.close();
    }
}
