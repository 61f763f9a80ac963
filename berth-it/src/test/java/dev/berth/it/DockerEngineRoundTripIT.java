package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images between berth and Docker Engine (Debian's {@code docker.io}, started here on a side socket and data root,
 * without networking; skipped where it is not installed): what berth commits and saves, dockerd loads with the same
 * image id and a file capability intact, and what dockerd commits and saves, berth loads with the same id, the
 * capability intact, and saves again byte for byte.
 */
class DockerEngineRoundTripIT {
    private static final Path DOCKERD = Path.of("/usr/sbin/dockerd");
    static TestDaemon berth;
    static Path dockerDir;
    static Process dockerd;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(DOCKERD), "Docker Engine (docker.io) is not installed");
        berth = TestDaemon.started();
        berth.loadBusybox();
        dockerDir = Files.createTempDirectory(Path.of("/tmp"), "bitd"); // short: socket paths have 108 bytes
        String ns = dockerDir.getFileName().toString();
        dockerd = new ProcessBuilder(DOCKERD.toString(), "-H", "unix://" + dockerDir.resolve("d.sock"),
                "--data-root", dockerDir.resolve("data").toString(), "--exec-root", dockerDir.resolve("run").toString(),
                "--pidfile", dockerDir.resolve("d.pid").toString(), "--bridge=none", "--iptables=false",
                "--ip-masq=false", "--ip-forward=false", "--containerd-namespace", ns,
                "--containerd-plugins-namespace", ns + "-plugins")
                .redirectErrorStream(true).redirectOutput(dockerDir.resolve("dockerd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (docker("version").exit() != 0) {
            if (!dockerd.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("dockerd did not start:\n" + Files.readString(dockerDir.resolve("dockerd.log")));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (dockerd != null) {
            dockerd.destroy(); // SIGTERM: dockerd stops the containerd it started
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) dockerd.destroyForcibly().waitFor();
        }
        if (dockerDir != null) Cli.run(List.of("rm", "-rf", dockerDir.toString()), Map.of(), null);
        if (berth != null) berth.close();
    }

    private static Cli.Result docker(String... args) throws Exception {
        return Cli.run(TestDaemon.dockerCommand(args),
                Map.of("DOCKER_HOST", "unix://" + dockerDir.resolve("d.sock"), "DOCKER_CONFIG", dockerDir.resolve("cfg").toString()),
                null);
    }

    private static String ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out();
    }

    private static String run(String... command) throws Exception {
        return ok(Cli.run(List.of(command), Map.of(), null));
    }

    /** A static busybox with {@code setcap caps+ep} on it, as {@code <dir>/busybox}. */
    private static Path capBusybox(String dir, String caps) throws Exception {
        Path file = Files.createDirectories(work.resolve(dir)).resolve("busybox");
        Files.copy(Path.of("/usr/bin/busybox"), file);
        run("setcap", caps + "+ep", file.toString());
        return file;
    }

    @Test
    void berthsCommit_loadsIntoDockerd_withItsIdAndFileCapability() throws Exception {
        Path capbox = capBusybox("capbox", "cap_setuid,cap_net_raw");
        ok(berth.docker("create", "--name", "b1", "busybox", "sh"));
        ok(berth.docker("cp", capbox.toString(), "b1:/capbox"));
        ok(berth.docker("commit", "b1", "from-berth:1"));
        String id = ok(berth.docker("image", "inspect", "-f", "{{.Id}}", "from-berth:1")).strip();
        Path archive = work.resolve("from-berth.tar");
        ok(berth.docker("save", "-o", archive.toString(), "from-berth:1"));

        assertThat(ok(docker("load", "-i", archive.toString()))).contains("Loaded image: from-berth:1");
        assertThat(ok(docker("image", "inspect", "-f", "{{.Id}}", "from-berth:1")).strip()).isEqualTo(id);
        ok(docker("create", "--name", "d1", "from-berth:1", "sh"));
        ok(docker("cp", "d1:/capbox", work.resolve("out-of-dockerd").toString()));
        assertThat(run("getcap", work.resolve("out-of-dockerd").toString())).contains("cap_setuid,cap_net_raw=ep");
    }

    @Test
    void dockerdsCommit_loadsIntoBerth_withItsIdAndFileCapability_andSavesBackByteForByte() throws Exception {
        Path busyboxTar = Busybox.tar();
        ok(docker("image", "import", "--change", "CMD [\"sh\"]", busyboxTar.toString(), "base:1"));
        Path capbox = capBusybox("capbox2", "cap_net_bind_service,cap_setuid");
        ok(docker("create", "--name", "d2", "base:1", "sh"));
        ok(docker("cp", capbox.getParent().toString(), "d2:/opt")); // the directory becomes /opt
        ok(docker("commit", "d2", "from-docker:1"));
        String id = ok(docker("image", "inspect", "-f", "{{.Id}}", "from-docker:1")).strip();
        Path archive = work.resolve("from-docker.tar");
        ok(docker("save", "-o", archive.toString(), "from-docker:1"));

        assertThat(ok(berth.docker("load", "-i", archive.toString()))).contains("Loaded image: from-docker:1");
        assertThat(ok(berth.docker("image", "inspect", "-f", "{{.Id}}", "from-docker:1")).strip()).isEqualTo(id);
        ok(berth.docker("create", "--name", "b2", "from-docker:1", "sh"));
        ok(berth.docker("cp", "b2:/opt/busybox", work.resolve("out-of-berth").toString()));
        assertThat(run("getcap", work.resolve("out-of-berth").toString())).contains("cap_setuid,cap_net_bind_service=ep");
        // The capability is the kernel's to grant: the file run as uid 1000 has it (bits 7 and 10).
        assertThat(ok(berth.docker("run", "--rm", "--user", "1000:1000", "from-docker:1",
                "/opt/busybox", "grep", "CapEff", "/proc/self/status"))).isEqualTo("CapEff:\t0000000000000480\n");

        Path again = work.resolve("from-berth-again.tar");
        ok(berth.docker("save", "-o", again.toString(), "from-docker:1"));
        assertThat(layerDigests(again)).isEqualTo(layerDigests(archive));
    }

    /** The sha256 of each layer file manifest.json lists, as Python's tarfile reads the archive. */
    private static String layerDigests(Path archive) throws Exception {
        return run("python3", "-c", """
                import hashlib, json, sys, tarfile
                t = tarfile.open(sys.argv[1])
                for layer in json.load(t.extractfile("manifest.json"))[0]["Layers"]:
                    print(hashlib.sha256(t.extractfile(layer).read()).hexdigest())
                """, archive.toString());
    }
}
