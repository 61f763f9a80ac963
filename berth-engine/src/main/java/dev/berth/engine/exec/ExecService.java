package dev.berth.engine.exec;

import dev.berth.common.EngineException;
import dev.berth.common.Ids;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.events.EventBus;
import dev.berth.runtime.AttachConnection;
import dev.berth.runtime.Runtime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec sessions: Docker's {@code POST /containers/{id}/exec}, {@code /exec/{id}/start}, {@code /resize} and
 * {@code /json}. As in dockerd, sessions live in memory only; a session is created, started once, and once its
 * process has ended keeps its exit code for inspection until its container is removed.
 *
 * <p>Each started exec has one platform thread (blocking native reads) that copies the process's output to the
 * client that started it, for as long as that client stays, then waits for the recorded exit. The process does not
 * depend on the client: one that goes away or detaches leaves it running to its end.
 */
public final class ExecService {
    private static final Logger log = LoggerFactory.getLogger(ExecService.class);

    /** The request of {@code POST /containers/{id}/exec} (ExecConfig), with the console size split in two. */
    public record ExecSpec(List<String> cmd, List<String> env, String user, String workingDir, boolean privileged,
                           boolean tty, boolean attachStdin, boolean attachStdout, boolean attachStderr,
                           String detachKeys, int consoleHeight, int consoleWidth) {
        public ExecSpec {
            cmd = cmd == null ? List.of() : List.copyOf(cmd);
            env = env == null ? List.of() : List.copyOf(env);
        }
    }

    /** What {@code GET /exec/{id}/json} shows; {@code exitCode} is null until the process has ended. */
    public record ExecState(String id, String containerId, ExecSpec spec, boolean running, Integer exitCode, int pid) {}

    /** Where a started exec's output goes; called on the exec's thread. Returns false once the client is gone. */
    public interface Output {
        boolean write(AttachConnection.Stream stream, byte[] data);
    }

    private final ContainerService containers;
    private final Runtime runtime;
    private final EventBus events;
    private final Path bundleRoot;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public ExecService(ContainerService containers, Runtime runtime, EventBus events, Path bundleRoot) {
        this.containers = containers;
        this.runtime = runtime;
        this.events = events;
        this.bundleRoot = bundleRoot;
        // A removed container takes its exec sessions with it, as in dockerd.
        events.subscribe(e -> {
            if (e.type().equals("container") && e.action().equals("destroy")) {
                sessions.values().removeIf(s -> s.containerId.equals(e.id()));
            }
        });
    }

    public String create(String idOrName, ExecSpec spec) {
        if (spec.cmd().isEmpty()) throw EngineException.invalid("No exec command specified");
        Container c = containers.get(idOrName);
        requireRunning(c);
        String id = Ids.random();
        sessions.put(id, new Session(id, c.id(), spec));
        publish(c, "exec_create: " + String.join(" ", spec.cmd()), id, null);
        return id;
    }

    public ExecState inspect(String execId) {
        return session(execId).state();
    }

    /**
     * Starts the exec; its output goes to {@code output} (null for a detached start) until the process ends or the
     * client goes. A process that cannot be started (a missing command: 127, one that cannot run: 126) is recorded
     * as ended with that code, and the failure carries Docker's text.
     */
    public Session start(String execId, Output output) {
        Session s = session(execId);
        synchronized (s) {
            if (s.started) {
                throw EngineException.conflict(s.exitCode == null ? "exec command %s is already running"
                        : "exec command %s has already run", execId);
            }
            s.started = true;
        }
        Container c;
        try {
            c = containers.get(s.containerId);
            requireRunning(c);
        } catch (EngineException e) {
            s.started = false;
            throw e;
        }
        s.output = output;
        publish(c, "exec_start: " + String.join(" ", s.spec.cmd()), execId, null);
        Runtime.ExecProcess p;
        try {
            byte[] process = ExecProcessSpec.build(bundleRoot.resolve(c.id()), s.spec, c.config().env());
            p = runtime.exec(new Runtime.ExecRequest(c.id(), execId, process, s.spec.tty(), s.spec.attachStdin()));
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
            int code = exitCode(message);
            s.ended(code);
            publish(c, "exec_die", execId, code);
            if (e instanceof EngineException ee) throw ee;
            String text = "OCI runtime exec failed: " + message + ": unknown";
            throw code == 126 && !message.contains("permission denied")
                    ? new EngineException.SystemFailure(text, e) : new EngineException.InvalidArgument(text, e);
        }
        s.process = p;
        Container container = c;
        Thread.ofPlatform().daemon().name("exec-" + execId.substring(0, 12)).start(() -> pump(s, container, p));
        return s;
    }

    /** The starter left with the detach keys; the process runs on (Docker's exec_detach event). */
    public void detached(Session s) {
        s.detach();
        Container c;
        try {
            c = containers.get(s.containerId);
        } catch (EngineException.NotFound e) {
            return; // removed meanwhile: no event
        }
        publish(c, "exec_detach", s.id, null);
    }

    /** Drops an ended exec's record (the health checks' probes, which nobody inspects, would pile up otherwise). */
    public void forget(String execId) {
        sessions.remove(execId);
    }

    public void resize(String execId, int width, int height) {
        if (width < 0 || height < 0) throw EngineException.invalid("invalid terminal size %dx%d", width, height);
        Session s = session(execId);
        Runtime.ExecProcess p = s.process;
        if (p == null || s.exitCode != null) throw EngineException.conflict("Exec %s is not running", execId);
        if (s.spec.tty()) p.resize(width, height);
    }

    private void pump(Session s, Container c, Runtime.ExecProcess p) {
        AttachConnection conn = p.connection();
        try {
            AttachConnection.Chunk chunk;
            while ((chunk = conn.read()) != null) {
                Output o = s.output;
                if (o != null && !o.write(chunk.stream(), chunk.data())) s.output = null;
            }
        } catch (IOException e) {
            log.debug("output of exec {} ended: {}", s.id, e.getMessage());
        }
        int code;
        try {
            code = p.awaitExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 137;
        } catch (RuntimeException e) {
            log.warn("exec {}: {}", s.id, e.getMessage());
            code = 126;
        }
        s.ended(code);
        publish(c, "exec_die", s.id, code);
        p.release();
    }

    private Session session(String execId) {
        Session s = execId == null ? null : sessions.get(execId);
        if (s == null) throw EngineException.notFound("No such exec instance: %s", execId);
        return s;
    }

    private static void requireRunning(Container c) {
        if (c.state().status() == ContainerState.Status.PAUSED) {
            throw EngineException.conflict("container %s is paused, unpause the container before exec", c.id());
        }
        if (c.state().status() == ContainerState.Status.RESTARTING) {
            throw EngineException.conflict("container %s is restarting, wait until the container is running", c.id());
        }
        if (c.state().status() != ContainerState.Status.RUNNING) {
            throw EngineException.conflict("container %s is not running", c.id());
        }
    }

    /** Docker's exit codes for an exec that could not start (daemon/start.go translateContainerdStartErr). */
    static int exitCode(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("executable file not found") || m.contains("no such file or directory")) return 127;
        return 126;
    }

    private void publish(Container c, String action, String execId, Integer exitCode) {
        var a = new HashMap<String, String>();
        if (c.config().labels() != null) a.putAll(c.config().labels());
        a.put("name", c.name());
        a.put("image", c.imageRef());
        a.put("execID", execId);
        if (exitCode != null) a.put("exitCode", Integer.toString(exitCode));
        events.publish("container", action, c.id(), a);
    }

    /** One exec session; the starter uses it to feed stdin and to wait for the end. */
    public static final class Session {
        private final String id;
        private final String containerId;
        private final ExecSpec spec;
        private final CompletableFuture<Integer> exited = new CompletableFuture<>();
        private volatile boolean started;
        private volatile Runtime.ExecProcess process;
        private volatile Output output;
        private volatile Integer exitCode;

        private Session(String id, String containerId, ExecSpec spec) {
            this.id = id;
            this.containerId = containerId;
            this.spec = spec;
        }

        public String id() { return id; }

        public ExecSpec spec() { return spec; }

        /** Completes with the exit code once the process has ended and its output has been delivered. */
        public CompletableFuture<Integer> exited() { return exited; }

        public void writeStdin(byte[] data, int off, int len) throws IOException {
            process.connection().write(data, off, len);
        }

        public void closeStdin() throws IOException {
            process.connection().closeStdin();
        }

        /** SIGKILL for the process (a health probe over its timeout); its exit is recorded as for any other end. */
        public void kill() {
            Runtime.ExecProcess p = process;
            if (p != null && exitCode == null && p.pid() > 0) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }

        /** Stops sending output to the starter; the process runs on. */
        public void detach() {
            output = null;
        }

        private void ended(int code) {
            exitCode = code;
            exited.complete(code);
        }

        private ExecState state() {
            Runtime.ExecProcess p = process;
            boolean running = p != null && exitCode == null;
            return new ExecState(id, containerId, spec, running, exitCode, running ? p.pid() : 0);
        }
    }
}
