package dev.berth.runtime.conmon;

import dev.berth.runtime.AttachConnection;
import dev.berth.runtime.Runtime;
import dev.berth.sys.Libc;
import dev.berth.sys.Signals;
import dev.berth.sys.SysException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@link Runtime} over conmon 2.1 (one monitor process per task) and runc 1.1, as podman runs them.
 *
 * <p>Who does what: conmon runs {@code runc create}, holds the container's stdio, copies it to the log and to attach
 * clients, and writes the exit file; this class runs the other runc commands ({@code start}, {@code kill},
 * {@code pause}, {@code resume}, {@code delete}, {@code state}) itself, watches the exit directory, and dials the
 * attach socket. Everything lives on disk under {@link Config#stateDir} (see {@link StateLayout}), nothing only in
 * memory, so a new instance on the same directory picks up the tasks an earlier daemon started; monitors are not
 * children of the daemon and outlive it.
 *
 * <p>Logs: conmon writes the task's stdout and stderr to {@link CreateRequest#logPath} in the CRI "k8s-file" format,
 * one line per write or per line: {@code <RFC 3339 time with ns> <stdout|stderr> <P|F> <content>}, where P marks a
 * partial line (no newline yet) and F a full one. The engine reads that file; this class never does.
 *
 * <p>Threads: methods block on child processes; call them from virtual threads. Exits are reported on one
 * platform thread owned by this class. Concurrent calls for one id must be serialised by the caller (the engine
 * holds a lock per container); calls for different ids are independent.
 */
public final class ConmonRuntime implements Runtime {
    private static final Logger log = LoggerFactory.getLogger(ConmonRuntime.class);

    /** How long delete waits for a monitor to write its exit file and go away before killing it. */
    private static final long MONITOR_EXIT_TIMEOUT_MS = 10_000;

    /**
     * @param conmonBinary  conmon 2.1, e.g. /usr/bin/conmon
     * @param runtimeBinary runc, e.g. /usr/sbin/runc
     * @param stateDir      this daemon's runtime state, under its exec root (e.g. /run/berth/runtime)
     * @param runtimeArgs   extra global runc arguments (before the command), for both conmon's runc and ours
     */
    public record Config(Path conmonBinary, Path runtimeBinary, Path stateDir, List<String> runtimeArgs) {
        public Config {
            Objects.requireNonNull(conmonBinary, "conmonBinary");
            Objects.requireNonNull(runtimeBinary, "runtimeBinary");
            Objects.requireNonNull(stateDir, "stateDir");
            runtimeArgs = runtimeArgs == null ? List.of() : List.copyOf(runtimeArgs);
        }
    }

    private final StateLayout layout;
    private final RuncClient runc;
    private final ConmonLauncher launcher;
    private final ExitWatcher exits;
    /** Ids inside {@link #delete}: their monitor's last exit belongs to a task that is going away. */
    private final Set<String> deleting = ConcurrentHashMap.newKeySet();

    public ConmonRuntime(Config config) {
        this.layout = new StateLayout(config.stateDir());
        try {
            for (Path dir : List.of(layout.root(), layout.runcRoot(), layout.exits(), layout.tasks(), layout.sockets())) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create runtime state in " + layout.root() + ": " + e.getMessage(), e);
        }
        this.runc = new RuncClient(config.runtimeBinary(), layout.runcRoot(), config.runtimeArgs());
        this.launcher = new ConmonLauncher(config.conmonBinary(), config.runtimeBinary(), layout, runc.globalArgs());
        this.exits = new ExitWatcher(layout.exits(), this::exitOfKnownTask, deleting);
        ConmonExec.sweep(layout);
    }

    @Override
    public Task create(CreateRequest request) {
        String id = StateLayout.checkId(request.id());
        if (Files.exists(layout.runcState(id))) throw new RuntimeFailure("a task with id " + id + " already exists");
        removeMonitorFiles(id); // leftovers of a create that a crash interrupted
        try {
            Files.createDirectories(layout.taskDir(id));
            Files.createSymbolicLink(layout.bundleLink(id), request.bundle().toAbsolutePath());
            Path logDir = request.logPath().toAbsolutePath().getParent();
            if (logDir != null) Files.createDirectories(logDir);
        } catch (IOException e) {
            removeMonitorFiles(id);
            throw new RuntimeFailure("cannot prepare task " + id + ": " + e.getMessage(), e);
        }
        try {
            return new Task(id, launcher.launch(request));
        } catch (RuntimeException e) {
            discardFailedCreate(id);
            throw e;
        }
    }

    @Override
    public void start(String id) {
        requireTask(id);
        runc.start(id);
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        requireTask(id);
        runc.kill(id, signal, all);
    }

    @Override
    public void pause(String id) {
        requireTask(id);
        runc.pause(id);
    }

    @Override
    public void resume(String id) {
        requireTask(id);
        runc.resume(id);
    }

    @Override
    public void update(String id, ResourceUpdate resources) {
        requireTask(id);
        runc.update(id, resources);
    }

    @Override
    public void delete(String id, boolean force) {
        StateLayout.checkId(id);
        deleting.add(id);
        try {
            if (Files.isDirectory(layout.runcState(id))) runc.delete(id, force); // refuses a live task unless force
            awaitMonitorExit(id);
            removeMonitorFiles(id);
            exits.forget(id);
        } finally {
            deleting.remove(id);
        }
    }

    @Override
    public Optional<TaskState> state(String id) {
        if (!Files.isDirectory(layout.runcState(id))) return Optional.empty();
        try {
            RuncClient.State s = runc.state(id);
            return Optional.of(new TaskState(id, s.toStatus(), s.pid()));
        } catch (RuntimeFailure e) {
            if (!Files.isDirectory(layout.runcState(id))) return Optional.empty(); // deleted meanwhile
            throw e;
        }
    }

    @Override
    public Optional<Exit> exit(String id) {
        Path file = layout.exitFile(id);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            var at = Files.getLastModifiedTime(file).toInstant();
            int code;
            try {
                code = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new RuntimeFailure("exit file " + file + " holds \"" + text + "\", not an exit status");
            }
            return Optional.of(new Exit(id, code, at, Files.exists(layout.oomFile(id))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot read exit file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public AttachConnection attach(String id) {
        requireTask(id);
        try {
            return ConmonAttachConnection.connect(layout.attachSocket(id));
        } catch (IOException e) {
            throw new RuntimeFailure("cannot attach to task " + id + ": " + e.getMessage(), e);
        }
    }

    /** Writes conmon's resize message, {@code 1 <height> <width>} (conmon {@code src/ctrl.c}), to the ctl FIFO. */
    @Override
    public void resize(String id, int width, int height) {
        requireTask(id);
        try {
            Libc.writeFifo(layout.ctlFifo(id), "1 %d %d\n".formatted(height, width).getBytes(StandardCharsets.US_ASCII));
        } catch (SysException e) {
            throw new RuntimeFailure("cannot resize task " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExecProcess exec(ExecRequest request) {
        requireTask(request.taskId());
        return ConmonExec.start(layout, launcher, request);
    }

    @Override
    public List<String> tasks() {
        Set<String> ids = new TreeSet<>();
        ids.addAll(names(layout.runcRoot()));
        ids.addAll(names(layout.tasks()));
        for (String name : names(layout.exits())) {
            // Skip conmon's temporary "<id>.XXXXXX" while it renames an exit file into place.
            var m = CONMON_TEMPORARY.matcher(name);
            if (!(m.matches() && ids.contains(m.group(1)))) ids.add(name);
        }
        return List.copyOf(ids);
    }

    private static final Pattern CONMON_TEMPORARY = Pattern.compile("(.+)\\.[A-Za-z0-9]{6}");

    @Override
    public void exitListener(Consumer<Exit> listener) {
        exits.listener(Objects.requireNonNull(listener));
    }

    @Override
    public void close() {
        exits.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void requireTask(String id) {
        if (!Files.isDirectory(layout.taskDir(id)) && !Files.isDirectory(layout.runcState(id))) {
            throw new RuntimeFailure("no such task: " + id);
        }
    }

    /** The watcher's view: exits of tasks this runtime created, which excludes conmon's temporary files. */
    private Optional<Exit> exitOfKnownTask(String name) {
        try {
            return Files.isDirectory(layout.taskDir(name)) ? exit(name) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a task id at all
        }
    }

    private void discardFailedCreate(String id) {
        try {
            if (Files.isDirectory(layout.runcState(id))) runc.delete(id, true);
        } catch (RuntimeFailure e) {
            log.warn("cleaning up failed create of {}: {}", id, e.getMessage());
        }
        awaitMonitorExit(id);
        removeMonitorFiles(id);
    }

    /**
     * Waits for the task's conmon to finish (it writes the exit file last, after the container died), so that no
     * exit file appears after delete removed the old one; kills a monitor that does not finish in time.
     */
    private void awaitMonitorExit(String id) {
        OptionalInt pid = monitorPid(id);
        if (pid.isEmpty()) return;
        long deadline = System.currentTimeMillis() + MONITOR_EXIT_TIMEOUT_MS;
        while (Libc.isAlive(pid.getAsInt())) {
            if (System.currentTimeMillis() > deadline) {
                log.warn("conmon {} of task {} did not exit; killing it", pid.getAsInt(), id);
                try {
                    Libc.kill(pid.getAsInt(), Signals.SIGKILL);
                } catch (SysException e) {
                    log.warn("killing conmon {}: {}", pid.getAsInt(), e.getMessage());
                }
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailure("interrupted while waiting for the monitor of " + id, e);
            }
        }
    }

    /** The pid of the task's conmon, if it is still that conmon (pids are reused). */
    private OptionalInt monitorPid(String id) {
        return monitorPid(layout.conmonPidFile(id));
    }

    /**
     * The pid in a conmon pid file ({@code -P}), if that process is still the conmon that wrote it: pids are reused,
     * and only that conmon has the file's path among its arguments.
     */
    static OptionalInt monitorPid(Path conmonPidFile) {
        try {
            int pid = Integer.parseInt(Files.readString(conmonPidFile).strip());
            String cmdline = Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            boolean ours = List.of(cmdline.split("\0")).contains(conmonPidFile.toString());
            return ours ? OptionalInt.of(pid) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty(); // no pid file, or the process is gone
        }
    }

    /** Removes the exit file, the task directory and conmon's sockets and FIFOs in the bundle (not the bundle). */
    private void removeMonitorFiles(String id) {
        try {
            Path bundle = Files.readSymbolicLink(layout.bundleLink(id));
            for (String name : List.of("attach", "ctl", "winsz")) Files.deleteIfExists(bundle.resolve(name));
        } catch (NoSuchFileException e) {
            // no task directory, or the bundle is gone already
        } catch (IOException e) {
            log.warn("removing conmon files of {}: {}", id, e.getMessage());
        }
        try {
            Files.deleteIfExists(layout.exitFile(id));
            deleteTree(layout.taskDir(id));
        } catch (IOException e) {
            throw new RuntimeFailure("cannot remove state of task " + id + ": " + e.getMessage(), e);
        }
    }

    /** Removes {@code dir} and everything under it; symbolic links are removed, never followed. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) deleteTree(p);
                else Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static List<String> names(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
