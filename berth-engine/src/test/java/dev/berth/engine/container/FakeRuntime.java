package dev.berth.engine.container;

import dev.berth.runtime.AttachConnection;
import dev.berth.runtime.Runtime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A runtime without processes, for engine tests: tasks are records that the test (or a signal) ends with {@link #exit}.
 * SIGTERM, SIGINT and SIGKILL end a task with 128+signal, unless its signal was set to be ignored ({@link #ignore}),
 * as a PID 1 without handlers does; SIGKILL always ends it. Calls are recorded in {@link #calls}.
 */
final class FakeRuntime implements Runtime {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, TaskState> tasks = new ConcurrentHashMap<>();
    private final Map<String, Exit> exits = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> ended = new ConcurrentHashMap<>();
    private final Map<String, Integer> ignored = new ConcurrentHashMap<>();
    private volatile Consumer<Exit> listener = e -> { };
    private int nextPid = 1000;
    /** When set, the next create fails with this message, as runc's does. */
    volatile String failNextCreate;
    /** When set, the next delete without force fails with this message. */
    volatile String failNextDelete;

    void ignore(String id, int signal) {
        ignored.put(id, signal);
    }

    /** The task's process ends with {@code code}: the exit becomes durable, then the listener hears of it. */
    void exit(String id, int code) {
        var t = tasks.get(id);
        if (t == null || t.status() == Status.STOPPED) return;
        tasks.put(id, new TaskState(id, Status.STOPPED, 0));
        Exit e = new Exit(id, code, Instant.now(), false);
        exits.put(id, e);
        ended.get(id).countDown();
        listener.accept(e);
    }

    /** The process ends, but the listener does not hear of it (yet): the engine still thinks it runs. */
    void exitUnreported(String id, int code) {
        tasks.put(id, new TaskState(id, Status.STOPPED, 0));
        exits.put(id, new Exit(id, code, Instant.now(), false));
    }

    /** The process ends, and its exit status is not written yet (conmon reaps it, then writes the status). */
    void processEnded(String id) {
        tasks.put(id, new TaskState(id, Status.STOPPED, 0));
    }

    boolean running(String id) {
        var t = tasks.get(id);
        return t != null && t.status() == Status.RUNNING;
    }

    @Override
    public synchronized Task create(CreateRequest r) {
        calls.add("create " + r.id());
        if (failNextCreate != null) {
            String m = failNextCreate;
            failNextCreate = null;
            throw new RuntimeFailure(m);
        }
        if (tasks.containsKey(r.id())) throw new RuntimeFailure("a task with id " + r.id() + " already exists");
        int pid = nextPid++;
        tasks.put(r.id(), new TaskState(r.id(), Status.CREATED, pid));
        ended.put(r.id(), new CountDownLatch(1));
        return new Task(r.id(), pid);
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
        var t = tasks.get(id);
        tasks.put(id, new TaskState(id, Status.RUNNING, t.pid()));
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        calls.add("kill " + id + " " + signal);
        if (!running(id)) throw new RuntimeFailure("container not running");
        Integer ignoredSignal = ignored.get(id);
        if (signal == 9 || ((signal == 15 || signal == 2) && (ignoredSignal == null || ignoredSignal != signal))) {
            Thread.ofVirtual().start(() -> exit(id, 128 + signal));
        }
    }

    @Override
    public void pause(String id) {
        calls.add("pause " + id);
    }

    @Override
    public void resume(String id) {
        calls.add("resume " + id);
    }

    @Override
    public void update(String id, ResourceUpdate r) {
        calls.add("update " + id + " memory=" + r.memory() + " swap=" + r.memorySwap() + " quota=" + r.cpuQuota()
                + " pids=" + r.pidsLimit());
    }

    @Override
    public void delete(String id, boolean force) {
        calls.add("delete " + id + (force ? " force" : ""));
        if (!force && failNextDelete != null) {
            String m = failNextDelete;
            failNextDelete = null;
            throw new RuntimeFailure(m);
        }
        if (force && running(id)) exit(id, 137);
        tasks.remove(id);
        exits.remove(id);
        if (!force && crashAfterDelete) throw new Crash();
    }

    /** When set, a delete without force is followed by the death of the daemon (the thread ends with {@link Crash}). */
    volatile boolean crashAfterDelete;

    /** The daemon dying at this point: nothing after it runs. */
    static final class Crash extends Error {
        Crash() {
            super("simulated daemon crash", null, false, false);
        }
    }

    @Override
    public Optional<TaskState> state(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public Optional<Exit> exit(String id) {
        return Optional.ofNullable(exits.get(id));
    }

    @Override
    public AttachConnection attach(String id) {
        CountDownLatch end = ended.get(id);
        return new AttachConnection() {
            @Override
            public Chunk read() throws java.io.InterruptedIOException {
                try {
                    end.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return null;
            }

            @Override
            public void write(byte[] data, int offset, int length) { }

            @Override
            public void closeStdin() { }

            @Override
            public void close() { }
        };
    }

    @Override
    public void resize(String id, int width, int height) {
        calls.add("resize " + id + " " + width + "x" + height);
    }

    @Override
    public List<String> tasks() {
        return List.copyOf(tasks.keySet());
    }

    @Override
    public void exitListener(Consumer<Exit> l) {
        listener = l;
    }

    @Override
    public void close() { }
}
