package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.exec.ExecService;
import dev.berth.engine.exec.ExecService.ExecSpec;
import dev.berth.runtime.AttachConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * The exec endpoints: {@code POST /containers/{id}/exec}, {@code POST /exec/{id}/start} (hijacked like attach, or a
 * plain 200 with {@code Detach}), {@code POST /exec/{id}/resize}, {@code GET /exec/{id}/json}.
 */
public final class ExecHandler {
    private final ExecService execs;

    public ExecHandler(ExecService execs) {
        this.execs = execs;
    }

    public void register(Router r) {
        r.post("/containers/{id}/exec", this::create);
        r.hijack("POST", "/exec/{id}/start", this::start);
        r.post("/exec/{id}/resize", ex -> {
            execs.resize(ex.param("id"), orZero(ex.queryInt("w")), orZero(ex.queryInt("h")));
            ex.status(200);
        });
        r.get("/exec/{id}/json", this::inspect);
    }

    private void create(Exchange ex) throws IOException {
        JsonNode req = ex.readJson(JsonNode.class);
        if (req == null) throw EngineException.invalid("No exec command specified");
        String keys = text(req, "DetachKeys");
        if (!keys.isEmpty() && DetachKeys.parse(keys) == null) {
            throw EngineException.invalid("Invalid escape keys (%s) provided", keys);
        }
        JsonNode size = req.path("ConsoleSize");
        var spec = new ExecSpec(strings(req.path("Cmd")), strings(req.path("Env")), text(req, "User"),
                text(req, "WorkingDir"), req.path("Privileged").asBoolean(false), req.path("Tty").asBoolean(false),
                req.path("AttachStdin").asBoolean(false), req.path("AttachStdout").asBoolean(false),
                req.path("AttachStderr").asBoolean(false), keys,
                size.isArray() && size.size() == 2 ? size.get(0).asInt(0) : 0,
                size.isArray() && size.size() == 2 ? size.get(1).asInt(0) : 0);
        ex.json(201, Map.of("Id", execs.create(ex.param("id"), spec)));
    }

    private void inspect(Exchange ex) {
        var s = execs.inspect(ex.param("id"));
        var spec = s.spec();
        var process = new LinkedHashMap<String, Object>();
        process.put("arguments", spec.cmd().subList(1, spec.cmd().size()));
        process.put("entrypoint", spec.cmd().getFirst());
        process.put("privileged", spec.privileged());
        process.put("tty", spec.tty());
        process.put("user", spec.user() == null ? "" : spec.user());
        var m = new LinkedHashMap<String, Object>();
        m.put("CanRemove", false);
        m.put("ContainerID", s.containerId());
        m.put("DetachKeys", spec.detachKeys() == null ? "" : spec.detachKeys());
        m.put("ExitCode", s.exitCode());
        m.put("ID", s.id());
        m.put("OpenStderr", spec.attachStderr());
        m.put("OpenStdin", spec.attachStdin());
        m.put("OpenStdout", spec.attachStdout());
        m.put("ProcessConfig", process);
        m.put("Running", s.running());
        m.put("Pid", s.pid());
        ex.json(200, m);
    }

    /**
     * As dockerd: a missing exec is a plain 404; otherwise the connection is taken over first, and a start that
     * fails then (a command that does not exist) writes its error as output, the exit code going to the exec's record.
     * The stream ends once the process has ended and its exit code is recorded, so a client that inspects the exec
     * right after the stream ends sees the code.
     */
    private void start(Exchange ex) throws Exception {
        String id = ex.param("id");
        JsonNode body = readStartBody(ex);
        var state = execs.inspect(id);
        ExecSpec spec = state.spec();
        if (body.path("Detach").asBoolean(false)) {
            execs.start(id, null);
            ex.status(200);
            return;
        }
        boolean tty = body.has("Tty") ? body.path("Tty").asBoolean(false) : spec.tty();
        boolean multiplexed = !tty;
        OutputStream out = ex.hijack(multiplexed);
        var gone = new CompletableFuture<Void>();
        ExecService.Output output = (stream, data) -> {
            boolean err = stream == AttachConnection.Stream.STDERR;
            if (err ? !spec.attachStderr() : !spec.attachStdout()) return true;
            try {
                StreamFrames.write(out, multiplexed, err ? StreamFrames.STDERR : StreamFrames.STDOUT, data, 0, data.length);
                return true;
            } catch (IOException e) {
                gone.complete(null);
                return false;
            }
        };
        ExecService.Session session;
        try {
            session = execs.start(id, output);
        } catch (EngineException e) {
            byte[] text = (e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
            try {
                StreamFrames.write(out, multiplexed, StreamFrames.STDOUT, text, 0, text.length);
            } finally {
                out.close();
            }
            return;
        }
        ex.onClose(() -> gone.complete(null));
        Thread stdin = null;
        if (spec.attachStdin()) {
            byte[] keys = tty ? DetachKeys.parse(spec.detachKeys()) : null;
            stdin = Thread.ofVirtual().start(() -> {
                if (pumpStdin(ex.body(), session, keys, tty)) {
                    execs.detached(session);
                    gone.complete(null);
                } else if (tty) {
                    gone.complete(null);
                }
            });
        }
        try {
            CompletableFuture.anyOf(session.exited(), gone).get();
        } finally {
            session.detach();
            if (stdin != null) stdin.interrupt();
            out.close();
        }
    }

    /**
     * Copies the client's input to the process; true if the client typed the detach keys. The end of the input
     * closes the process's stdin; with a TTY it ends the client's attach instead and the process runs on, as in
     * dockerd (container/stream/attach.go), since a terminal has no end of input to pass on.
     */
    private static boolean pumpStdin(InputStream in, ExecService.Session session, byte[] keys, boolean tty) {
        try {
            if (DetachKeys.copy(in, keys, session::writeStdin)) return true;
            if (!tty) session.closeStdin();
        } catch (IOException | InterruptedException e) {
            // the process ended or the client went away
        }
        return false;
    }

    /** The most a start request's JSON may take: it holds two booleans and a console size. */
    static final int MAX_START_BODY = 1 << 20;

    /** The start request's JSON: the first Content-Length bytes of the hijacked stream; what follows is stdin. */
    private static JsonNode readStartBody(Exchange ex) throws IOException {
        int n = startBodyLength(ex.headers().get("Content-Length"));
        byte[] b = new byte[n];
        int read = 0;
        while (read < n) {
            int r = ex.body().read(b, read, n - read);
            if (r < 0) break;
            read += r;
        }
        if (read == 0) return ApiJson.MAPPER.createObjectNode();
        return ApiJson.MAPPER.readTree(new String(b, 0, read, StandardCharsets.UTF_8));
    }

    /** A start request's Content-Length: absent is 0; not a number, negative or above 1 MB is a 400. */
    static int startBodyLength(String header) {
        if (header == null) return 0;
        long n;
        try {
            n = Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid Content-Length: %s", header);
        }
        if (n < 0) throw EngineException.invalid("invalid Content-Length: %s", header);
        if (n > MAX_START_BODY) throw EngineException.invalid("exec start request too large: %d bytes (at most %d)", n, MAX_START_BODY);
        return (int) n;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }

    private static List<String> strings(JsonNode n) {
        var out = new ArrayList<String>();
        if (n != null && n.isArray()) for (JsonNode e : n) out.add(e.asString());
        return out;
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
