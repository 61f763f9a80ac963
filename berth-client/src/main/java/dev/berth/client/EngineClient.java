package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A blocking client for the Engine API. One connection per request ({@code Connection: close}), which keeps the
 * client simple and costs nothing measurable on a unix socket. Paths are given without the version prefix
 * ({@code /containers/json}); every request is sent as {@code /v1.50/...}. Statuses of 400 and above become an
 * {@link EngineException} carrying the daemon's message; a daemon that cannot be reached, a
 * {@link DaemonUnreachableException}.
 */
public final class EngineClient {
    public static final String API_VERSION = "1.50";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DaemonHost host;
    private final ClientTls tls;

    public EngineClient(DaemonHost host) {
        this(host, null);
    }

    /** A client that speaks TLS to a tcp {@code host} when {@code tls} is not null. */
    public EngineClient(DaemonHost host, ClientTls tls) {
        this.host = host;
        this.tls = tls;
    }

    public DaemonHost host() {
        return host;
    }

    public static JsonMapper json() {
        return JSON;
    }

    /** GET, returning the parsed JSON body. */
    public JsonNode get(String path) {
        return parse(send("GET", path, null, null, Map.of()).bytes());
    }

    /** POST with an optional JSON body; returns the parsed JSON reply, or null for an empty one. */
    public JsonNode post(String path, Object jsonBody) {
        byte[] reply = send("POST", path, jsonBody == null ? null : JSON.writeValueAsBytes(jsonBody), "application/json",
                Map.of()).bytes();
        return reply.length == 0 ? null : parse(reply);
    }

    public void delete(String path) {
        send("DELETE", path, null, null, Map.of()).bytes();
    }

    /** A request whose body is read as it streams (logs, events, progress). The caller closes the response. */
    public Response stream(String method, String path) {
        return send(method, path, null, null, Map.of());
    }

    /**
     * HEAD: the status and headers only (a HEAD answer has no body, whatever its Content-Length says). An error
     * status is an {@link EngineException} with the status's own wording, since there is no message body.
     */
    public Response head(String path) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Connection", "close");
        return exchange("HEAD", path, headers, out -> { }, (c, status) -> {
            if (status.code() >= 400) throw new EngineException(status.code(), "status " + status.code());
            return new Response(status.code(), status.headers(), InputStream.nullInputStream(), c);
        });
    }

    /** A request with a streamed body of unknown length, sent chunked (image import, load). */
    public Response upload(String method, String path, InputStream body, String contentType) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Connection", "close");
        headers.put("Content-Type", contentType);
        headers.put("Transfer-Encoding", "chunked");
        return exchange(method, path, headers, out -> writeChunked(body, out), EngineClient::response);
    }

    /**
     * Sends a request that the daemon answers by handing the connection over to a raw stream (attach, exec start),
     * asking for it with {@code Upgrade: tcp} as the Docker CLI does.
     */
    public HijackedStream hijack(String path, Object jsonBody) {
        byte[] body = jsonBody == null ? new byte[0] : JSON.writeValueAsBytes(jsonBody);
        var headers = new LinkedHashMap<String, String>();
        headers.put("Connection", "Upgrade");
        headers.put("Upgrade", "tcp");
        if (jsonBody != null) headers.put("Content-Type", "application/json");
        headers.put("Content-Length", Integer.toString(body.length));
        return exchange("POST", path, headers, out -> out.write(body), (c, status) -> {
            if (status.code() >= 400) throw error(status.code(), bodyOf(status, c.in).readAllBytes());
            return new HijackedStream(c, c.in);
        });
    }

    private Response send(String method, String path, byte[] body, String contentType, Map<String, String> extra) {
        var headers = new LinkedHashMap<String, String>(extra);
        headers.put("Connection", "close");
        if (body != null) {
            headers.put("Content-Type", contentType);
            headers.put("Content-Length", Integer.toString(body.length));
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            headers.put("Content-Length", "0");
        }
        return exchange(method, path, headers, out -> {
            if (body != null) out.write(body);
        }, EngineClient::response);
    }

    @FunctionalInterface
    private interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    @FunctionalInterface
    private interface ResponseReader<T> {
        T read(Connection c, HttpHead.Status status) throws IOException;
    }

    /**
     * One request on a new connection: the head, the body, then the response head handed to {@code reader}, which
     * keeps the connection (a streamed body, a hijack). On any failure the connection is closed; a broken
     * connection means the daemon is gone.
     */
    private <T> T exchange(String method, String path, Map<String, String> headers, BodyWriter body, ResponseReader<T> reader) {
        Connection c = Connection.open(host, tls);
        try {
            HttpHead.writeRequest(c.out, method, "/v" + API_VERSION + path, headers);
            body.write(c.out);
            c.out.flush();
            return reader.read(c, HttpHead.readResponse(c.in));
        } catch (IOException e) {
            c.close();
            throw new DaemonUnreachableException(host, e, tls != null);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static Response response(Connection c, HttpHead.Status status) throws IOException {
        InputStream body = bodyOf(status, c.in);
        if (status.code() >= 400) throw error(status.code(), body.readAllBytes());
        return new Response(status.code(), status.headers(), body, c);
    }

    private static InputStream bodyOf(HttpHead.Status status, InputStream in) {
        if ("chunked".equalsIgnoreCase(status.header("transfer-encoding"))) return new ChunkedInputStream(in);
        String length = status.header("content-length");
        if (length != null) return new BoundedInputStream(in, Long.parseLong(length.strip()));
        if (status.code() == 204 || status.code() == 304) return InputStream.nullInputStream();
        return in;
    }

    /** The daemon's {@code {"message": ...}}, or its text when the body is not JSON. */
    static EngineException error(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.has("message")) text = n.get("message").asString();
        } catch (RuntimeException notJson) {
            // keep the plain text
        }
        if (text.isEmpty()) text = "status " + status;
        return new EngineException(status, text);
    }

    /** Reading the user's source failing is the source's error, not the daemon's: it is not an IOException here. */
    private static void writeChunked(InputStream body, OutputStream out) throws IOException {
        byte[] buf = new byte[65536];
        for (int n; (n = readSource(body, buf)) >= 0; ) {
            if (n == 0) continue;
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(buf, 0, n);
            out.write('\r');
            out.write('\n');
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static int readSource(InputStream in, byte[] buf) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        return JSON.readTree(body);
    }
}
