package dev.berth.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private berthd for a test class: its own socket, data root and exec root under a temporary directory, started
 * through {@code bin/berthd} exactly as a user starts it. {@link #kill9()} and {@link #start()} simulate crashes.
 * On close it stops the daemon, removes its containers' tasks and mounts, and deletes the directory.
 */
public final class TestDaemon implements AutoCloseable, org.junit.jupiter.api.extension.BeforeAllCallback,
        org.junit.jupiter.api.extension.AfterAllCallback {
    public static final Path REPO = Path.of(System.getProperty("berth.repo", "..")).toAbsolutePath().normalize();

    private final Path dir;
    private final Path socket;
    private Process process;
    private final List<String> extraFlags = new ArrayList<>();
    private boolean debugFlag = true;

    public TestDaemon() throws IOException {
        // Short paths: unix socket paths are limited to 108 bytes.
        this.dir = Files.createTempDirectory(Path.of("/tmp"), "bit");
        this.socket = dir.resolve("d.sock");
    }

    /** Set by {@link #perClass}: the class's daemon gets busybox:latest before its tests. */
    private boolean busyboxForClass;

    /**
     * A daemon for a whole test class, as a JUnit extension: {@code @RegisterExtension static final TestDaemon
     * daemon = TestDaemon.perClass(true);} starts it (with busybox when asked) before the class's own
     * {@code @BeforeAll} methods and closes it after its {@code @AfterAll} ones.
     */
    public static TestDaemon perClass(boolean withBusybox) {
        try {
            var d = new TestDaemon();
            d.busyboxForClass = withBusybox;
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
        start();
        if (busyboxForClass) loadBusybox();
    }

    @Override
    public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
        close();
    }

    public static TestDaemon started() throws Exception {
        var d = new TestDaemon();
        d.start();
        return d;
    }

    /** Adds berthd flags (a tcp listener, TLS, -G) to the standard ones; call before {@link #start()}. */
    public TestDaemon withFlags(String... flags) {
        extraFlags.addAll(List.of(flags));
        return this;
    }

    /** Writes the daemon.json berthd reads (and leaves off {@code -D}, so that the file may set debug). */
    public TestDaemon withConfig(String json) throws IOException {
        Files.writeString(dir.resolve("daemon.json"), json);
        debugFlag = false;
        return this;
    }

    /** The test's private directory (socket, roots, daemon.json, log). */
    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve("daemon.json");
    }

    public String host() {
        return "unix://" + socket;
    }

    public Path dataRoot() {
        return dir.resolve("data");
    }

    public Path execRoot() {
        return dir.resolve("run");
    }

    public Process process() {
        return process;
    }

    public void start() throws Exception {
        var cmd = new ArrayList<>(List.of(REPO.resolve("bin/berthd").toString(), "-H", host(), "--data-root", dataRoot().toString(),
                "--exec-root", execRoot().toString(), "--config-file", writeEmptyConfig().toString()));
        if (debugFlag) cmd.add("-D");
        cmd.addAll(extraFlags);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("berthd.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("berthd exited at start:\n" + log());
            if (ping()) return;
            Thread.sleep(50);
        }
        throw new IllegalStateException("berthd did not answer /_ping in 30 s:\n" + log());
    }

    private Path writeEmptyConfig() throws IOException {
        Path p = dir.resolve("daemon.json");
        if (!Files.exists(p)) Files.writeString(p, "{}");
        return p;
    }

    public boolean ping() {
        try {
            return request("GET", "/_ping", null).contains("200 OK");
        } catch (IOException e) {
            return false;
        }
    }

    /** One raw HTTP/1.1 request over the socket; returns the whole response as text. */
    public String request(String method, String path, String jsonBody) throws IOException {
        return jsonBody == null ? request(method, path, null, null)
                : request(method, path, "application/json", jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    /** One raw HTTP/1.1 request with a body of {@code contentType} (none if null); the whole response as text. */
    public String request(String method, String path, String contentType, byte[] body) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            byte[] content = body == null ? new byte[0] : body;
            String head = method + " " + path + " HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + content.length + "\r\n\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer toSend = ByteBuffer.wrap(content);
            while (toSend.hasRemaining()) ch.write(toSend);
            var out = new java.io.ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            while (ch.read(buf) > 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Simulates a crash: SIGKILL, no shutdown hooks. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) kill9();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("berthd.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    // ---- clients --------------------------------------------------------------------------------------------

    public Cli.Result berth(String... args) throws Exception {
        return Cli.run(berthCommand(args), Map.of(), null);
    }

    public Cli.Result berthWithInput(String input, String... args) throws Exception {
        return berthWithInput(input.getBytes(StandardCharsets.UTF_8), args);
    }

    public Cli.Result berthWithInput(byte[] input, String... args) throws Exception {
        return Cli.run(berthCommand(args), Map.of(), input);
    }

    private List<String> berthCommand(String... args) {
        var cmd = new ArrayList<String>();
        cmd.add(REPO.resolve("bin/berth").toString());
        cmd.add("-H");
        cmd.add(host());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The unmodified Docker CLI pointed at this daemon. */
    public Cli.Result docker(String... args) throws Exception {
        return Cli.run(dockerCommand(args), dockerEnv(), null);
    }

    public Cli.Result dockerWithInput(String input, String... args) throws Exception {
        return dockerWithInput(input.getBytes(StandardCharsets.UTF_8), args);
    }

    public Cli.Result dockerWithInput(byte[] input, String... args) throws Exception {
        return Cli.run(dockerCommand(args), dockerEnv(), input);
    }

    public static List<String> dockerCommand(String... args) {
        var cmd = new ArrayList<String>();
        cmd.add("/usr/local/bin/docker");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The environment the Docker CLI needs for this daemon: its socket, and a config dir of its own (not ~/.docker). */
    public Map<String, String> dockerEnv() {
        return Map.of("DOCKER_HOST", host(), "DOCKER_CONFIG", dir.resolve("docker-config").toString());
    }

    /** Imports the shared busybox rootfs tar as busybox:latest. */
    public void loadBusybox() throws Exception {
        var r = berth("image", "import", "--change", "CMD [\"sh\"]", Busybox.tar().toString(), "busybox:latest");
        if (r.exit() != 0) throw new IllegalStateException("busybox import failed: " + r + "\n" + log());
    }

    @Override
    public void close() throws Exception {
        try {
            if (process != null && !process.isAlive()) start();
            // Remove every container so no task, mount or cgroup outlives the test.
            var ids = berth("ps", "-aq", "--no-trunc").out().lines().filter(s -> !s.isBlank()).toList();
            if (!ids.isEmpty()) {
                var cmd = new ArrayList<String>(List.of("rm", "-f"));
                cmd.addAll(ids);
                berth(cmd.toArray(String[]::new));
            }
            // And every user-defined network, so no bridge or iptables rule outlives it either.
            berth("network", "prune", "-f");
        } catch (Exception e) {
            System.err.println("cleanup of " + dir + " failed: " + e);
        } finally {
            stop();
            Cli.run(List.of("sh", "-c", "grep -o ' " + dir + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"), Map.of(), null);
            Cli.run(List.of("rm", "-rf", dir.toString()), Map.of(), null);
        }
    }
}
