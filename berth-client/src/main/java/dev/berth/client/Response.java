package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response from the daemon: status, headers (names in lower case) and the body as a stream, already de-chunked.
 * Closing it closes the connection.
 */
public final class Response implements AutoCloseable {
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final Connection connection;

    Response(int status, Map<String, String> headers, InputStream body, Connection connection) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.connection = connection;
    }

    public int status() {
        return status;
    }

    /** A header value by its name in any case, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public InputStream body() {
        return body;
    }

    public byte[] bytes() {
        try (this) {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a stream of JSON messages, one a line, as pull, import and load answer; an {@code error} message becomes
     * an {@link EngineException} with the daemon's text, as the Docker CLI reports it.
     */
    public void forEachJsonMessage(java.util.function.Consumer<tools.jackson.databind.JsonNode> each) {
        try (this) {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) continue;
                tools.jackson.databind.JsonNode n = EngineClient.json().readTree(line);
                if (n.has("error")) throw new EngineException(500, n.get("error").asString());
                each.accept(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
