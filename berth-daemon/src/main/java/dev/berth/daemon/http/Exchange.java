package dev.berth.daemon.http;

import dev.berth.api.ApiJson;
import dev.berth.api.ErrorResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request and its response, for a handler running on a virtual thread. A handler answers exactly once: with
 * {@link #json}, {@link #status}, a chunked {@link #stream}, or by taking over the connection with {@link #hijack}.
 */
public final class Exchange {
    private final Channel channel;
    private final HttpRequest request;
    private final String apiVersion;
    private final String path;
    private final Map<String, String> params;
    private final QueryStringDecoder query;
    private final BodyStream body;
    private final Writability writability;
    private final boolean keepAlive;
    private boolean answered;
    private boolean hijacked;
    private final Map<String, String> extraHeaders = new java.util.LinkedHashMap<>();

    Exchange(Channel channel, HttpRequest request, String apiVersion, String path, Map<String, String> params,
             BodyStream body, Writability writability) {
        this.channel = channel;
        this.request = request;
        this.apiVersion = apiVersion;
        this.path = path;
        this.params = params;
        this.query = new QueryStringDecoder(request.uri());
        this.body = body;
        this.writability = writability;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    // ---- request -----------------------------------------------------------------------------------------

    public String method() { return request.method().name(); }
    public String path() { return path; }
    public String apiVersion() { return apiVersion; }
    public HttpHeaders headers() { return request.headers(); }
    public String param(String name) { return params.get(name); }

    /** A query parameter, or null. */
    public String query(String name) {
        List<String> v = query.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** Every value of a repeated query parameter. */
    public List<String> queryAll(String name) {
        return query.parameters().getOrDefault(name, List.of());
    }

    /** Docker's boolean query values: 1, true, True, yes (anything but empty, 0, false, no). */
    public boolean queryBool(String name) {
        String v = query(name);
        if (v == null) return false;
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "", "0", "false", "no" -> false;
            default -> true;
        };
    }

    public Integer queryInt(String name) {
        String v = query(name);
        if (v == null || v.isEmpty()) return null;
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new dev.berth.common.EngineException.InvalidArgument("invalid value for " + name + ": " + v);
        }
    }

    public InputStream body() { return body; }

    /** The JSON body as {@code type}; an empty body gives null. */
    public <T> T readJson(Class<T> type) throws IOException {
        byte[] bytes = body.readAllLimited(16 * 1024 * 1024);
        if (bytes.length == 0) return null;
        return ApiJson.MAPPER.readValue(bytes, type);
    }

    // ---- response ----------------------------------------------------------------------------------------

    /** Adds a header to the response this exchange will send (X-Docker-Container-Path-Stat, say). */
    public void header(String name, String value) {
        extraHeaders.put(name, value);
    }

    public void json(int status, Object value) {
        byte[] bytes = ApiJson.MAPPER.writeValueAsBytes(value);
        full(status, "application/json", bytes);
    }

    public void status(int status) {
        full(status, null, new byte[0]);
    }

    public void text(int status, String contentType, String text) {
        full(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    public void error(int status, String message) {
        if (hijacked) {
            raw(status, "application/json", ApiJson.MAPPER.writeValueAsBytes(new ErrorResponse(message)));
            return;
        }
        if (status == 304) {
            status(304);
            return;
        }
        json(status, new ErrorResponse(message));
    }

    /** A whole response on a hijacked connection, whose codec is gone: raw HTTP/1.1, then the connection closes. */
    private void raw(int status, String contentType, byte[] b) {
        answered = true;
        String head = "HTTP/1.1 " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Api-Version: " + ApiVersion.CURRENT + "\r\nServer: " + ApiServer.SERVER_HEADER + "\r\n"
                + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
        channel.write(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII)));
        channel.writeAndFlush(Unpooled.wrappedBuffer(b)).addListener(f -> channel.close());
    }

    private void full(int status, String contentType, byte[] bytes) {
        if (hijacked) {
            raw(status, contentType, bytes);
            return;
        }
        checkUnanswered();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        decorate(r);
        if (contentType != null) r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (status != 204 && status != 304) HttpUtil.setContentLength(r, bytes.length);
        finish(channel.writeAndFlush(r));
    }

    /**
     * Starts a chunked response and returns its body. Writes block while the client is slow (the channel is not
     * writable), so a producer can never outrun its reader. Closing the stream ends the response.
     */
    public OutputStream stream(int status, String contentType) {
        checkUnanswered();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        decorate(r);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setTransferEncodingChunked(r, true);
        channel.writeAndFlush(r);
        return new ChunkOutput(false);
    }

    /**
     * As {@link #stream}, for a bulk body nobody watches live (save, export, cp): bytes gather in a buffer of
     * {@value #BULK_CHUNK} bytes and go out as one HTTP chunk when it fills, on {@code flush()} and on close, instead
     * of one chunk (a copy, a writability wait and a flush) per write of a few hundred bytes.
     */
    public OutputStream bulkStream(int status, String contentType) {
        return new BulkOutput(stream(status, contentType), BULK_CHUNK);
    }

    static final int BULK_CHUNK = 128 * 1024;

    /**
     * Takes over the connection for a raw byte stream (attach, exec): answers {@code 101 UPGRADED} when the client
     * asked to upgrade to tcp, or 200 with Docker's raw-stream media type when it did not. The client's further bytes
     * come from {@link #body()}.
     */
    public OutputStream hijack(boolean multiplexed) {
        checkUnanswered();
        if (!hijacked) throw new IllegalStateException("route is not a hijack route");
        boolean upgrade = request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        String type = multiplexed ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream";
        String head = upgrade
                ? "HTTP/1.1 101 UPGRADED\r\nContent-Type: " + type + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\n";
        head += "Api-Version: " + ApiVersion.CURRENT + "\r\nServer: " + ApiServer.SERVER_HEADER + "\r\n\r\n";
        channel.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII)));
        answered = true;
        return new ChunkOutput(true);
    }

    boolean answered() { return answered; }

    void markHijacked() { hijacked = true; }

    public boolean clientGone() { return !channel.isActive(); }

    /**
     * Drops the connection without finishing the response: a streamed body that failed half-way (a save whose layer
     * changed) must reach the client as a broken stream, never as a short body that looks complete.
     */
    void abort() {
        channel.close();
    }

    /** Runs {@code r} once the client's connection closes (to stop producers for a client that went away). */
    public void onClose(Runnable r) {
        channel.closeFuture().addListener(f -> r.run());
    }

    private void checkUnanswered() {
        if (answered) throw new IllegalStateException("response already sent");
        answered = true;
    }

    private void decorate(HttpResponse r) {
        r.headers().set("Api-Version", ApiVersion.CURRENT);
        r.headers().set(HttpHeaderNames.SERVER, ApiServer.SERVER_HEADER);
        r.headers().set("Docker-Experimental", "false");
        r.headers().set("Ostype", "linux");
        extraHeaders.forEach((k, v) -> r.headers().set(k, v));
        if (keepAlive) HttpUtil.setKeepAlive(r, true);
    }

    /** What is left of a request body after its response (one refused early) is read and dropped up to this much. */
    private static final long DRAIN_LIMIT = 256 * 1024;

    /**
     * After a complete response: the rest of the request body is read and dropped, then the connection closes unless
     * it is kept alive (the next request follows the body).
     */
    private void finish(io.netty.channel.ChannelFuture f) {
        f.addListener(done -> body.drain(DRAIN_LIMIT, keepAlive ? () -> { } : channel::close));
    }

    /** Writes to {@code out} in pieces of {@code size} bytes (smaller only on flush and close). */
    static final class BulkOutput extends OutputStream {
        private final OutputStream out;
        private final byte[] buf;
        private int count;

        BulkOutput(OutputStream out, int size) {
            this.out = out;
            this.buf = new byte[size];
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) drain();
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (count == 0 && len >= buf.length) {
                    // A whole piece already: no copy into the buffer.
                    out.write(b, off, buf.length);
                    off += buf.length;
                    len -= buf.length;
                    continue;
                }
                int n = Math.min(len, buf.length - count);
                System.arraycopy(b, off, buf, count, n);
                count += n;
                off += n;
                len -= n;
                if (count == buf.length) drain();
            }
        }

        private void drain() throws IOException {
            if (count == 0) return;
            out.write(buf, 0, count);
            count = 0;
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        /** Sends the rest and ends the response; if the rest cannot go, the response is not ended as if complete. */
        @Override
        public void close() throws IOException {
            drain();
            out.close();
        }
    }

    /** A response body: HTTP chunks through the codec, or raw bytes on a hijacked connection. */
    private final class ChunkOutput extends OutputStream {
        private final boolean raw;
        private boolean closed;

        ChunkOutput(boolean raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) return;
            if (!channel.isActive()) throw new IOException("client closed the connection");
            writability.awaitWritable();
            var buf = Unpooled.copiedBuffer(b, off, len);
            channel.writeAndFlush(raw ? buf : new DefaultHttpContent(buf));
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (raw) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            } else {
                finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            }
        }
    }
}
