package dev.berth.runtime.conmon;

import dev.berth.runtime.AttachConnection;
import dev.berth.runtime.AttachConnection.Chunk;
import dev.berth.runtime.AttachConnection.Stream;
import dev.berth.runtime.Runtime.CreateRequest;
import dev.berth.runtime.Runtime.Exit;
import dev.berth.runtime.Runtime.RuntimeFailure;
import dev.berth.runtime.Runtime.Status;
import dev.berth.runtime.Runtime.Task;
import dev.berth.sys.Libc;
import dev.berth.sys.Signals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * ConmonRuntime against the real conmon 2.1.6 and runc 1.1.5 (root only). Every container and cgroup a test
 * creates is removed afterwards, even when the test fails.
 */
class ConmonRuntimeIT {

    private static final Path CONMON = Path.of(System.getProperty("berth.conmon", "/usr/bin/conmon"));
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path tmp;
    private Path stateDir;
    private ConmonRuntime runtime;
    private final LinkedBlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void requireRootAndTools() {
        // Fail loudly rather than skip: a CI run with root must not hide a missing prerequisite.
        assertThat(Libc.getuid()).as("ConmonRuntimeIT needs root").isZero();
        assertThat(CONMON).as("conmon").isExecutable();
        assertThat(RUNC).as("runc").isExecutable();
        assertThat(Path.of("/bin/busybox")).as("static busybox").isExecutable();
    }

    @BeforeEach
    void openRuntime() {
        stateDir = tmp.resolve("state");
        runtime = open();
    }

    private ConmonRuntime open() {
        var r = new ConmonRuntime(new ConmonRuntime.Config(CONMON, RUNC, stateDir, List.of()));
        r.exitListener(exits::add);
        return r;
    }

    @AfterEach
    void removeEverything() {
        runtime.close();
        var cleaner = new ConmonRuntime(new ConmonRuntime.Config(CONMON, RUNC, stateDir, List.of()));
        try {
            for (String id : created) {
                try {
                    cleaner.delete(id, true);
                } catch (RuntimeException e) {
                    System.err.println("cleanup of " + id + ": " + e.getMessage());
                }
            }
        } finally {
            cleaner.close();
        }
        created.forEach(ConmonRuntimeIT::removeCgroups);
    }

    @AfterAll
    static void removeCgroupParent() {
        for (Path controller : cgroupControllers()) {
            try {
                Files.deleteIfExists(controller.resolve(BusyboxBundle.CGROUP_PARENT));
            } catch (IOException e) {
                System.err.println("cgroup cleanup: " + e.getMessage());
            }
        }
    }

    // ---- output and exit ------------------------------------------------------------------------------------

    @Test
    void echo_isSeenOnStdout_andExitZeroIsReported() throws Exception {
        String id = newId();
        Task task = runtime.create(request(id, bundle(id, "echo", "hello")));
        assertThat(task.pid()).isPositive();
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(Status.CREATED));

        AttachConnection attach = runtime.attach(id);
        CompletableFuture<List<Chunk>> output = readAll(attach);
        runtime.start(id);

        assertThat(text(output.get(20, TimeUnit.SECONDS), Stream.STDOUT)).isEqualTo("hello\n");
        Exit exit = awaitExit(id);
        assertThat(exit.code()).isZero();
        assertThat(exit.oomKilled()).isFalse();
        assertThat(exit.at()).isBefore(Instant.now().plusSeconds(1)).isAfter(Instant.now().minusSeconds(60));
        assertThat(runtime.exit(id)).contains(exit);
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(Status.STOPPED));
        assertThat(Files.readString(logPath(id))).matches("(?s)\\S+ stdout F hello\n");
    }

    @Test
    void stderrAndExitCode_reachTheClient() throws Exception {
        String id = newId();
        runtime.create(request(id, bundle(id, "sh", "-c", "echo err >&2; exit 3")));
        CompletableFuture<List<Chunk>> output = readAll(runtime.attach(id));
        runtime.start(id);

        List<Chunk> chunks = output.get(20, TimeUnit.SECONDS);
        assertThat(text(chunks, Stream.STDERR)).isEqualTo("err\n");
        assertThat(text(chunks, Stream.STDOUT)).isEmpty();
        assertThat(awaitExit(id).code()).isEqualTo(3);
    }

    @Test
    void attach_worksWhenTheBundlePathIsLongerThanSunPath() throws Exception {
        String id = newId();
        Path deep = tmp.resolve("d".repeat(50)).resolve("e".repeat(50)).resolve(id);
        runtime.create(request(id, BusyboxBundle.create(deep, id, List.of("echo", "far away"))));
        assertThat(deep.resolve("attach").toString().length()).isGreaterThan(108);

        CompletableFuture<List<Chunk>> output = readAll(runtime.attach(id));
        runtime.start(id);

        assertThat(text(output.get(20, TimeUnit.SECONDS), Stream.STDOUT)).isEqualTo("far away\n");
        assertThat(awaitExit(id).code()).isZero();
    }

    @Test
    void create_ofMissingExecutable_failsWithRuncsMessage_andLeavesNothingBehind() throws Exception {
        String id = newId();
        Path bundle = bundle(id, "/nope/missing");

        assertThatThrownBy(() -> runtime.create(request(id, bundle)))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("/nope/missing")
                .hasMessageContaining("no such file or directory")
                .hasMessageNotContaining("level=error");

        assertThat(runtime.tasks()).doesNotContain(id);
        assertThat(runtime.state(id)).isEmpty();
        assertThat(bundle.resolve("attach")).doesNotExist();
        assertThat(bundle.resolve("ctl")).doesNotExist();
    }

    // ---- signals ----------------------------------------------------------------------------------------------

    @Test
    void kill_withSigkill_reportsExit137() throws Exception {
        String id = startedSleeper();

        runtime.kill(id, Signals.SIGKILL, false);

        assertThat(awaitExit(id).code()).isEqualTo(128 + Signals.SIGKILL);
    }

    /**
     * SIGTERM to a namespace's init is dropped unless init handles it (the kernel protects pid 1), which is why
     * Docker's stop falls back to SIGKILL for a plain {@code sleep}. Signalling all processes reaches the child.
     */
    @Test
    void kill_all_withSigterm_reachesProcessesBesideInit() throws Exception {
        String id = newId();
        runtime.create(request(id, bundle(id, "sh", "-c", "sleep 100 & wait $!")));
        runtime.start(id);
        awaitStatus(id, Status.RUNNING);

        runtime.kill(id, Signals.SIGTERM, true);

        assertThat(awaitExit(id).code()).isEqualTo(128 + Signals.SIGTERM);
    }

    @Test
    void kill_ofUnknownTask_isARuntimeFailure() {
        assertThatThrownBy(() -> runtime.kill("berth-it-nothing", 9, false))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessage("no such task: berth-it-nothing");
    }

    // ---- stdin and terminal -------------------------------------------------------------------------------------

    @Test
    void stdin_writtenThroughAttach_isEchoedByCat_andClosingItEndsCat() throws Exception {
        String id = newId();
        runtime.create(new CreateRequest(id, bundle(id, "cat"), logPath(id), false, true));
        AttachConnection attach = runtime.attach(id);
        CompletableFuture<List<Chunk>> output = readAll(attach);
        runtime.start(id);

        byte[] big = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII); // spans several packets
        attach.write("ping\n".getBytes(StandardCharsets.US_ASCII), 0, 5);
        attach.write(big, 0, big.length);
        attach.closeStdin();

        assertThat(text(output.get(20, TimeUnit.SECONDS), Stream.STDOUT)).isEqualTo("ping\n" + "x".repeat(100_000));
        assertThat(awaitExit(id).code()).isZero();
    }

    @Test
    void terminal_resize_isSeenByTheProcess() throws Exception {
        String id = newId();
        Path bundle = BusyboxBundle.create(tmp.resolve(id), id, List.of("sh", "-c", "read line; stty size"),
                new BusyboxBundle.Options(true, null));
        runtime.create(new CreateRequest(id, bundle, logPath(id), true, true));
        AttachConnection attach = runtime.attach(id);
        CompletableFuture<List<Chunk>> output = readAll(attach);

        runtime.resize(id, 100, 30);
        runtime.start(id);
        attach.write("go\n".getBytes(StandardCharsets.US_ASCII), 0, 3); // resize is applied before this is read

        String screen = text(output.get(20, TimeUnit.SECONDS), Stream.STDOUT);
        assertThat(screen).contains("30 100\r\n"); // a terminal turns \n into \r\n
        assertThat(awaitExit(id).code()).isZero();
    }

    @Test
    void closingAnAttachConnection_wakesItsReader_andTheTaskRunsOn() throws Exception {
        String id = startedSleeper();
        AttachConnection attach = runtime.attach(id);
        CompletableFuture<List<Chunk>> output = readAll(attach);
        Thread.sleep(200); // let the reader block in recv

        attach.close();

        assertThat(output.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(Status.RUNNING));
    }

    // ---- pause, delete, restart -------------------------------------------------------------------------------

    @Test
    void pause_andResume_changeTheState() throws Exception {
        String id = startedSleeper();

        runtime.pause(id);
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(Status.PAUSED));
        runtime.resume(id);
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(Status.RUNNING));
    }

    @Test
    void delete_removesEveryTrace_andForgetsUnknownTasksQuietly() throws Exception {
        String id = newId();
        Path bundle = bundle(id, "true");
        runtime.create(request(id, bundle));
        runtime.start(id);
        awaitExit(id);
        assertThat(runtime.tasks()).contains(id);

        runtime.delete(id, false);

        assertThat(runtime.tasks()).doesNotContain(id);
        assertThat(runtime.state(id)).isEmpty();
        assertThat(runtime.exit(id)).isEmpty();
        assertThat(bundle.resolve("ctl")).doesNotExist();
        assertThat(bundle.resolve("winsz")).doesNotExist();
        assertThat(bundle.resolve("config.json")).exists(); // the bundle itself is the caller's
        runtime.delete(id, false);
        runtime.delete("berth-it-never-existed", true);
    }

    @Test
    void delete_ofRunningTask_withoutForce_isRefused_andWithForce_killsIt_withoutReportingAnExit() throws Exception {
        String id = startedSleeper();

        assertThatThrownBy(() -> runtime.delete(id, false)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("running");
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(Status.RUNNING));

        runtime.delete(id, true);

        assertThat(runtime.tasks()).doesNotContain(id);
        assertThat(exits.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void recreate_withTheSameId_afterDelete_reportsTheNewExit() throws Exception {
        String id = newId();
        runtime.create(request(id, bundle(id, "true")));
        runtime.start(id);
        assertThat(awaitExit(id).code()).isZero();
        runtime.delete(id, false);

        Path second = BusyboxBundle.create(tmp.resolve(id + "-2"), id, List.of("false"));
        runtime.create(request(id, second));
        runtime.start(id);

        assertThat(awaitExit(id).code()).isEqualTo(1);
    }

    @Test
    void aTask_survivesADaemonRestart() throws Exception {
        String id = startedSleeper();
        int pid = runtime.state(id).orElseThrow().pid();
        runtime.close();

        runtime = open();

        assertThat(runtime.tasks()).contains(id);
        assertThat(runtime.state(id)).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo(Status.RUNNING);
            assertThat(s.pid()).isEqualTo(pid);
        });
        CompletableFuture<List<Chunk>> output = readAll(runtime.attach(id));
        runtime.kill(id, Signals.SIGKILL, false);
        assertThat(awaitExit(id).code()).isEqualTo(137);
        assertThat(output.get(20, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void anExitWhileNoDaemonRan_isReadableAfterRestart_butNotReportedToTheListener() throws Exception {
        String id = newId();
        runtime.create(request(id, bundle(id, "sh", "-c", "sleep 1; exit 7")));
        runtime.start(id);
        runtime.close();
        await().atMost(WAIT).until(() -> Files.exists(stateDir.resolve("exits").resolve(id)));
        exits.clear();

        runtime = open();

        assertThat(runtime.exit(id)).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(7));
        assertThat(exits.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void exceedingTheMemoryLimit_isReportedAsOomKilled() throws Exception {
        String id = newId();
        // The shell doubles a string until the 16 MiB cgroup limit makes the kernel kill it.
        Path bundle = BusyboxBundle.create(tmp.resolve(id), id,
                List.of("sh", "-c", "a=0123456789abcdef; while true; do a=\"$a$a\"; done"),
                new BusyboxBundle.Options(false, 16L * 1024 * 1024));
        runtime.create(request(id, bundle));
        runtime.start(id);

        Exit exit = awaitExit(id);
        assertThat(exit.code()).isEqualTo(137);
        assertThat(exit.oomKilled()).isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private String newId() {
        String id = "berth-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        created.add(id);
        return id;
    }

    private Path bundle(String id, String... args) throws IOException {
        return BusyboxBundle.create(tmp.resolve(id), id, List.of(args));
    }

    private Path logPath(String id) {
        return tmp.resolve("logs").resolve(id + ".log");
    }

    private CreateRequest request(String id, Path bundle) {
        return new CreateRequest(id, bundle, logPath(id), false, false);
    }

    private String startedSleeper() throws IOException {
        String id = newId();
        runtime.create(request(id, bundle(id, "sleep", "100")));
        runtime.start(id);
        awaitStatus(id, Status.RUNNING);
        return id;
    }

    private void awaitStatus(String id, Status status) {
        await().atMost(WAIT).until(() -> runtime.state(id).map(s -> s.status() == status).orElse(false));
    }

    private Exit awaitExit(String id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Exit e = exits.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.id().equals(id)) return e;
        }
        throw new AssertionError("no exit reported for " + id + " within " + WAIT);
    }

    /** Reads on a platform thread, as the contract asks, until the monitor closes the connection. */
    private static CompletableFuture<List<Chunk>> readAll(AttachConnection attach) {
        CompletableFuture<List<Chunk>> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            List<Chunk> chunks = new ArrayList<>();
            try (attach) {
                for (Chunk c; (c = attach.read()) != null; ) chunks.add(c);
                result.complete(chunks);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static String text(List<Chunk> chunks, Stream stream) {
        var out = new ByteArrayOutputStream();
        chunks.stream().filter(c -> c.stream() == stream).forEach(c -> out.writeBytes(c.data()));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<Path> cgroupControllers() {
        try (var dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
            return dirs.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** runc removes the cgroups of a deleted container; this catches what a failed test left. */
    private static void removeCgroups(String id) {
        for (Path controller : cgroupControllers()) {
            try {
                Files.deleteIfExists(controller.resolve(BusyboxBundle.CGROUP_PARENT).resolve(id));
            } catch (IOException e) {
                System.err.println("cgroup cleanup of " + id + ": " + e.getMessage());
            }
        }
    }
}
