package dev.berth.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runtime boundary: everything the engine asks of the OCI runtime and the per-container monitor, and nothing
 * about policy. The engine owns the container state machine; an implementation owns the runtime binary, the
 * monitor processes, exit files and attach sockets, and keeps no state of its own beyond what is on disk, so that a
 * new daemon process can pick up tasks a previous one started.
 *
 * <p>Lifecycle of one task, all addressed by the container id:
 * <ol>
 *   <li>{@link #create} starts a monitor that asks the runtime to create the container from its bundle; the user
 *       process exists but waits, and the attach socket exists, so output from the first byte can be caught;</li>
 *   <li>{@link #attach} connects to the monitor's stdio (any number of times, while the task lives);</li>
 *   <li>{@link #start} lets the user process run;</li>
 *   <li>{@link #kill} sends signals; when the process exits, the monitor drains its output, closes attach
 *       connections, then writes the exit file, and {@link #exitListener}s hear of it;</li>
 *   <li>{@link #delete} removes the runtime's record of the container (the bundle directory is the caller's).</li>
 * </ol>
 * Methods block and may take as long as the runtime does: call them from virtual threads, never an event loop.
 */
public interface Runtime {

    /**
     * Creates the task from a prepared bundle ({@code config.json} and a mounted {@code rootfs}). Returns once the
     * runtime has created the container, with its host pid.
     *
     * @throws RuntimeFailure with the runtime's own error text if creation fails (for example an executable that
     *         does not exist, when the runtime checks it at create time)
     */
    Task create(CreateRequest request);

    /** Lets the created task's process run. */
    void start(String id);

    /** Sends {@code signal} to the task's init process (or to all its processes). */
    void kill(String id, int signal, boolean all);

    /** Freezes every process of the task (cgroup freezer). */
    void pause(String id);

    void resume(String id);

    /** Changes the cgroup limits of a created, running or paused task; null fields are left as they are. */
    default void update(String id, ResourceUpdate resources) {
        throw new RuntimeFailure("this runtime cannot update the resources of a task");
    }

    /**
     * Removes the runtime's record of a stopped task and the monitor's files; with {@code force}, kills it first.
     * Succeeds quietly if the runtime has no such task.
     */
    void delete(String id, boolean force);

    /** What the runtime knows of the task now, or empty if it knows nothing of it. */
    Optional<TaskState> state(String id);

    /** The exit the monitor recorded, if the task has exited. Survives a daemon restart. */
    Optional<Exit> exit(String id);

    /** Connects to the live stdio of a created or running task. */
    AttachConnection attach(String id);

    /** Changes the terminal size of a task created with a terminal. */
    void resize(String id, int width, int height);

    /**
     * Starts another process in a running task ({@code runc exec}) under a monitor of its own. Returns once the
     * runtime has started it; its output is caught from the first byte by the returned connection.
     *
     * @throws RuntimeFailure with the runtime's own error text if the process cannot be started (for example an
     *         executable that does not exist)
     */
    default ExecProcess exec(ExecRequest request) {
        throw new RuntimeFailure("this runtime cannot exec processes");
    }

    /** Ids of every task whose monitor state is on disk: running, created or exited but not yet deleted. */
    List<String> tasks();

    /**
     * Registers the one listener for exits; it is called once per exit, on a runtime-owned thread, after the exit is
     * durable (so {@link #exit} returns it). Exits that happened while no daemon ran are reported by the caller's own
     * reconcile pass through {@link #exit}, not here.
     */
    void exitListener(Consumer<Exit> listener);

    /** Releases watchers and threads; running tasks keep running (their monitors are separate processes). */
    void close();

    /**
     * What to create. The bundle holds config.json and rootfs; the log path is where the monitor writes stdio.
     * {@code terminal} must match the bundle's {@code process.terminal}. With {@code stdin}, the task's stdin is a
     * pipe fed by attach connections; it is closed for good when an attach connection ends its input
     * ({@link AttachConnection#closeStdin} or closing the connection), Docker's {@code StdinOnce}, unless
     * {@code keepStdinOpen}, in which case it stays open until the task exits and no client can close it.
     */
    record CreateRequest(String id, Path bundle, Path logPath, boolean terminal, boolean stdin, boolean keepStdinOpen) {
        public CreateRequest(String id, Path bundle, Path logPath, boolean terminal, boolean stdin) {
            this(id, bundle, logPath, terminal, stdin, false);
        }
    }

    /**
     * An exec: {@code processJson} is an OCI {@code process} object (args, env, cwd, user, capabilities, terminal);
     * {@code terminal} must match it. With {@code stdin}, the process's stdin is a pipe fed through
     * {@link ExecProcess#connection()} and closed when that connection ends its input.
     */
    record ExecRequest(String taskId, String execId, byte[] processJson, boolean terminal, boolean stdin) {}

    /**
     * A process started by {@link #exec}. Its monitor outlives a client that goes away; the owner reads
     * {@link #connection()} until it ends, then {@link #awaitExit()}, then {@link #release()}s the monitor's files.
     */
    interface ExecProcess {
        int pid();

        /** The process's live stdio, connected before it started. */
        AttachConnection connection();

        /** Changes the terminal size of a process started with a terminal. */
        void resize(int width, int height);

        /** Blocks until the monitor has recorded the exit; the shell convention (128+N for signal N). */
        int awaitExit() throws InterruptedException;

        /** Removes the monitor's files once the exit has been read. */
        void release();
    }

    record Task(String id, int pid) {}

    /**
     * New cgroup limits for {@link #update}: bytes, CPU shares, a CFS quota over a period in microseconds, CPU and
     * memory-node lists ({@code 0-2,4}), and a pids limit (-1 for none).
     */
    record ResourceUpdate(Long memory, Long memoryReservation, Long memorySwap, Long cpuShares, Long cpuPeriod,
                          Long cpuQuota, String cpusetCpus, String cpusetMems, Long pidsLimit) {}

    enum Status { CREATED, RUNNING, PAUSED, STOPPED }

    record TaskState(String id, Status status, int pid) {}

    /**
     * An exit as the monitor wrote it. {@code code} follows the shell convention: a process killed by signal N gives
     * 128+N. {@code at} is when the exit was recorded (the exit file's time).
     */
    record Exit(String id, int code, java.time.Instant at, boolean oomKilled) {}

    /** A runtime or monitor failure, carrying the runtime's own words for the user. */
    final class RuntimeFailure extends RuntimeException {
        public RuntimeFailure(String message) { super(message); }
        public RuntimeFailure(String message, Throwable cause) { super(message, cause); }
    }
}
