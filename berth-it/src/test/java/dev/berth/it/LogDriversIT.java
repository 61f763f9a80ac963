package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Logging drivers (json-file, none) as users and log shippers see them, through the Docker CLI and berth. */
class LogDriversIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);
    /** docker-java's Jackson 2, already on the tests' class path. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String id(String name) throws Exception {
        return daemon.docker("inspect", "-f", "{{.Id}}", name).out().strip();
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        var out = new ArrayList<JsonNode>();
        byte[] bytes = file.toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file)).readAllBytes() : Files.readAllBytes(file);
        for (String l : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!l.isEmpty()) out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void jsonFile_isTheDefault_inDockersOnDiskFormat_andLogsReadsIt() throws Exception {
        var run = daemon.docker("run", "--name", "jf", "busybox", "sh", "-c", "echo one; echo 'two <&>' >&2");
        assertThat(run.exit()).as(run.toString()).isZero();
        String id = id("jf");
        Path file = daemon.dataRoot().resolve("containers").resolve(id).resolve(id + "-json.log");
        assertThat(daemon.docker("inspect", "-f", "{{.LogPath}} {{.HostConfig.LogConfig.Type}}", "jf").out())
                .isEqualTo(file + " json-file\n");
        var entries = lines(file);
        assertThat(entries).extracting(e -> e.get("log").asText() + "|" + e.get("stream").asText())
                .containsExactly("one\n|stdout", "two <&>\n|stderr");
        assertThat(Files.readString(file)).contains("\"log\":\"two \\u003c\\u0026\\u003e\\n\"");
        Instant time = Instant.parse(entries.getFirst().get("time").asText());
        assertThat(time).isBetween(Instant.now().minusSeconds(60), Instant.now());

        var logs = daemon.docker("logs", "jf");
        assertThat(logs.out()).isEqualTo("one\n");
        assertThat(logs.err()).isEqualTo("two <&>\n");
        assertThat(daemon.berth("logs", "--tail", "1", "jf").err()).isEqualTo("two <&>\n");
        // the run's journal is gone once shipped: the json file is the only copy
        assertThat(daemon.dataRoot().resolve("containers").resolve(id).resolve("container.log")).doesNotExist();
        assertThat(daemon.docker("rm", "jf").exit()).isZero();
    }

    @Test
    void maxSizeAndMaxFile_rotate_compressGzipsTheOldFiles_andLogsReadsAcrossThem() throws Exception {
        var run = daemon.docker("run", "--name", "rot", "--log-opt", "max-size=1k", "--log-opt", "max-file=3",
                "--log-opt", "compress=true", "busybox", "sh", "-c", "i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done");
        assertThat(run.exit()).as(run.toString()).isZero();
        String id = id("rot");
        Path dir = daemon.dataRoot().resolve("containers").resolve(id);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(id + "-json.log")))
                    .containsExactlyInAnyOrder(id + "-json.log", id + "-json.log.1.gz", id + "-json.log.2.gz");
        }
        assertThat(Files.size(dir.resolve(id + "-json.log"))).isLessThan(1100);
        var kept = new ArrayList<String>();
        for (String f : List.of(".2.gz", ".1.gz", "")) {
            for (JsonNode e : lines(dir.resolve(id + "-json.log" + f))) kept.add(e.get("log").asText().strip());
        }
        assertThat(kept.getLast()).isEqualTo("line-199");
        assertThat(kept.size()).isLessThan(200);
        // what is kept is the end of the output, in order, and logs shows exactly that
        List<String> expected = IntStream.range(200 - kept.size(), 200).mapToObj(i -> "line-" + i).toList();
        assertThat(kept).isEqualTo(expected);
        assertThat(daemon.docker("logs", "rot").out()).isEqualTo(String.join("\n", expected) + "\n");
        assertThat(daemon.docker("logs", "--tail", "2", "rot").out()).isEqualTo("line-198\nline-199\n");
        assertThat(daemon.docker("rm", "rot").exit()).isZero();
    }

    @Test
    void localDriver_keepsFramedRecordsInLocalLogs_andLogsReadsThem() throws Exception {
        var run = daemon.berth("run", "--name", "loc", "--log-driver", "local", "--log-opt", "max-file=2",
                "busybox", "sh", "-c", "echo first; echo second >&2");
        assertThat(run.exit()).as(run.toString()).isZero();
        String id = id("loc");
        Path file = daemon.dataRoot().resolve("containers").resolve(id).resolve("local-logs").resolve("container.log");
        byte[] bytes = Files.readAllBytes(file);
        int n = java.nio.ByteBuffer.wrap(bytes, 0, 4).getInt();
        assertThat(java.nio.ByteBuffer.wrap(bytes, 4 + n, 4).getInt()).isEqualTo(n); // the length before and after
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("stdout").contains("first")
                .doesNotContain("first\n");
        assertThat(daemon.docker("inspect", "-f", "[{{.LogPath}}] {{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Config}}", "loc").out())
                .isEqualTo("[] local map[max-file:2]\n");
        var logs = daemon.docker("logs", "loc");
        assertThat(logs.out()).isEqualTo("first\n");
        assertThat(logs.err()).isEqualTo("second\n");
        var badOpt = daemon.docker("create", "--log-driver", "local", "--log-opt", "tag=x", "busybox", "true");
        assertThat(badOpt.err()).contains("unknown log opt 'tag' for local log driver");
        assertThat(daemon.docker("rm", "loc").exit()).isZero();
    }

    @Test
    void noneDriver_keepsNothingReadable() throws Exception {
        var run = daemon.docker("run", "--name", "quiet", "--log-driver", "none", "busybox", "echo", "hidden");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("hidden\n"); // attached output still reaches the client
        var logs = daemon.docker("logs", "quiet");
        assertThat(logs.exit()).isNotZero();
        assertThat(logs.err()).contains("configured logging driver does not support reading");
        assertThat(daemon.docker("inspect", "-f", "[{{.LogPath}}] {{.HostConfig.LogConfig.Type}}", "quiet").out()).isEqualTo("[] none\n");
        assertThat(daemon.docker("rm", "quiet").exit()).isZero();
    }

    @Test
    void badDriversAndOptions_areRefused_andCreateNothing() throws Exception {
        var unknown = daemon.docker("create", "--log-driver", "carrier-pigeon", "busybox", "true");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("logger: no log driver named 'carrier-pigeon' is registered");
        var badOpt = daemon.berth("create", "--log-opt", "colour=blue", "busybox", "true");
        assertThat(badOpt.exit()).isEqualTo(125);
        assertThat(badOpt.err()).contains("unknown log opt 'colour' for json-file log driver");
        var badFiles = daemon.docker("create", "--log-opt", "max-file=0", "busybox", "true");
        assertThat(badFiles.err()).contains("max-file cannot be less than 1");
        var badSize = daemon.docker("create", "--log-opt", "max-size=lots", "busybox", "true");
        assertThat(badSize.err()).contains("invalid size: 'lots'");
        assertThat(daemon.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void noOutputIsLostOrDoubled_whenTheDaemonIsKilledWhileAContainerWrites() throws Exception {
        var run = daemon.docker("run", "-d", "--name", "counter", "busybox", "sh", "-c",
                "i=0; while [ $i -lt 300 ]; do echo n$i; i=$((i+1)); usleep 10000; done");
        assertThat(run.exit()).as(run.toString()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> daemon.docker("logs", "counter").out().contains("n50\n"));
        daemon.kill9();
        Thread.sleep(1500); // the container goes on writing while no daemon runs
        daemon.start();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                daemon.docker("inspect", "-f", "{{.State.Status}}", "counter").out().strip().equals("exited"));
        String expected = IntStream.range(0, 300).mapToObj(i -> "n" + i + "\n").reduce("", String::concat);
        assertThat(daemon.docker("logs", "counter").out()).isEqualTo(expected);
        String id = id("counter");
        assertThat(lines(daemon.dataRoot().resolve("containers").resolve(id).resolve(id + "-json.log"))).hasSize(300);
        assertThat(daemon.docker("rm", "counter").exit()).isZero();
    }
}
