package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berthd -H fd://} under socket activation, without systemd itself: systemd's own {@code systemd-socket-activate}
 * binds the sockets, waits for the first client and then executes berthd with LISTEN_FDS/LISTEN_PID set, as systemd
 * does for contrib/systemd/berth.socket. The first client, which connected before berthd ran, is served.
 */
class SocketActivationIT {
    static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");

    Path dir;
    Process activator;

    @BeforeEach
    void makeDir() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bitsa");
        Files.writeString(dir.resolve("daemon.json"), "{}");
    }

    @AfterEach
    void stop() throws Exception {
        if (activator != null && activator.isAlive()) {
            activator.destroy(); // berthd itself, once the activator has executed it
            if (!activator.waitFor(20, TimeUnit.SECONDS)) activator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Cli.run(List.of("rm", "-rf", dir.toString()), Map.of(), null);
    }

    private List<String> berthd(String host) {
        return List.of(TestDaemon.REPO.resolve("bin/berthd").toString(), "-H", host, "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("run").toString(), "--config-file", dir.resolve("daemon.json").toString());
    }

    @Test
    void fdHost_servesTheUnixAndTcpSocketsSystemdPassedIn() throws Exception {
        assumeTrue(Files.isExecutable(ACTIVATE), "systemd-socket-activate (package systemd) is not installed");
        int port = RemoteTlsIT.freePort();
        Path sock = dir.resolve("a.sock");
        var cmd = new java.util.ArrayList<>(List.of(ACTIVATE.toString(), "-l", sock.toString(), "-l", "127.0.0.1:" + port));
        cmd.addAll(berthd("fd://"));
        activator = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("berthd.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(sock) && System.nanoTime() < deadline) Thread.sleep(50);

        var env = Map.of("DOCKER_HOST", "unix://" + sock, "DOCKER_CONFIG", dir.resolve("docker-config").toString());
        // berthd is not running yet: this client's connection waits in the socket's queue while it starts.
        var version = Cli.run(TestDaemon.dockerCommand("version", "--format", "{{.Server.Platform.Name}}"), env, null);
        assertThat(version.exit()).as(version + log()).isZero();
        assertThat(version.out()).isEqualTo("Berth Engine\n");
        var ps = Cli.run(List.of(TestDaemon.REPO.resolve("bin/berth").toString(), "-H", "unix://" + sock, "ps"), Map.of(), null);
        assertThat(ps.exit()).as(ps.toString()).isZero();
        var tcp = Cli.run(List.of("curl", "-s", "--max-time", "10", "http://127.0.0.1:" + port + "/_ping"), Map.of(), null);
        assertThat(tcp.out()).isEqualTo("OK");
        assertThat(log()).contains("API listening on fd 3 from systemd").contains("API listening on fd 4 from systemd");
    }

    @Test
    void fdHost_withoutSocketsFromSystemd_refusesToStart() throws Exception {
        var r = Cli.run(berthd("fd://"), Map.of(), null);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no sockets found via socket activation");
        assertThat(Cli.run(berthd("fd://x"), Map.of(), null).err()).contains("invalid bind address format: fd://x");
    }

    @Test
    void fdHost_namingASocketThatWasNotPassed_refusesToStart() throws Exception {
        assumeTrue(Files.isExecutable(ACTIVATE), "systemd-socket-activate (package systemd) is not installed");
        Path sock = dir.resolve("b.sock");
        var cmd = new java.util.ArrayList<>(List.of(ACTIVATE.toString(), "-l", sock.toString()));
        cmd.addAll(berthd("fd://7"));
        activator = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("berthd.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(sock) && System.nanoTime() < deadline) Thread.sleep(50);
        Cli.run(List.of("curl", "-s", "--max-time", "10", "--unix-socket", sock.toString(), "http://x/_ping"), Map.of(), null);
        assertThat(activator.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(activator.exitValue()).isEqualTo(1);
        assertThat(log()).contains("fd 7 not among [3]");
    }

    @Test
    void theSystemdUnits_pass_systemdAnalyzeVerify() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Path units = TestDaemon.REPO.resolve("contrib/systemd");
        String service = Files.readString(units.resolve("berth.service")).replace("/opt/berth", TestDaemon.REPO.toString());
        assertThat(service).contains("ExecStart=" + TestDaemon.REPO + "/bin/berthd -H fd://").contains("KillMode=process");
        Files.writeString(dir.resolve("berth.service"), service);
        Files.copy(units.resolve("berth.socket"), dir.resolve("berth.socket"));
        var r = Cli.run(List.of(analyze.toString(), "verify", dir.resolve("berth.socket").toString(), dir.resolve("berth.service").toString()),
                Map.of(), null);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("berthd.log"));
    }
}
