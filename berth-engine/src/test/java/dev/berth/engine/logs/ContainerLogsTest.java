package dev.berth.engine.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsTest {
    @TempDir Path dir;
    private static final String ID = "c".repeat(64);

    private ContainerLogs logs() {
        return new ContainerLogs(id -> dir);
    }

    private void conmonWrites(String... lines) throws IOException {
        var sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        Files.writeString(dir.resolve("container.log"), sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<String> read(ContainerLogs logs, LogConfig config, LogQuery q) throws Exception {
        var out = new ArrayList<String>();
        logs.read(ID, config, q, () -> false, e -> out.add(e.stream() + ":" + new String(e.data(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void theJournal_isShippedIntoJsonFile_partsKeptApart_andGoneAfterTheRun() throws Exception {
        var logs = logs();
        conmonWrites("2026-12-01T07:00:00.000000001+00:00 stdout F hello",
                "2026-12-01T07:00:00.5Z stderr P half ", "2026-12-01T07:00:01Z stderr F done");
        logs.ended(ID, LogConfig.DEFAULT);
        assertThat(Files.readAllLines(dir.resolve(ID + "-json.log"))).containsExactly(
                "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-01T07:00:00.000000001Z\"}",
                "{\"log\":\"half \",\"stream\":\"stderr\",\"time\":\"2026-12-01T07:00:00.500Z\"}",
                "{\"log\":\"done\\n\",\"stream\":\"stderr\",\"time\":\"2026-12-01T07:00:01Z\"}");
        assertThat(dir.resolve("container.log")).doesNotExist();
        assertThat(read(logs, LogConfig.DEFAULT, LogQuery.ALL)).containsExactly("STDOUT:hello\n", "STDERR:half ", "STDERR:done\n");
    }

    @Test
    void aKilledDaemon_neitherLosesNorDoublesOutput() throws Exception {
        conmonWrites("2026-12-01T07:00:00Z stdout F one");
        logs().ended(ID, LogConfig.DEFAULT); // first run shipped
        conmonWrites("2026-12-01T07:01:00Z stdout F two");
        var first = logs();
        first.running(ID, LogConfig.DEFAULT);
        first.removed(ID); // stops the shipper, as a daemon's death would
        // a batch that reached the json file after the last cursor was saved
        Files.writeString(dir.resolve(ID + "-json.log"), "{\"log\":\"two\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-01T07:01:00Z\"}\n",
                StandardOpenOption.APPEND);
        conmonWrites("2026-12-01T07:02:00Z stdout F three", "2026-12-01T07:03:00Z stdout P unfinis");
        var second = logs();
        second.ended(ID, LogConfig.DEFAULT);
        assertThat(read(second, LogConfig.DEFAULT, LogQuery.ALL))
                .containsExactly("STDOUT:one\n", "STDOUT:two\n", "STDOUT:three\n", "STDOUT:unfinis");
    }

    @Test
    void rotation_keepsMaxFileFiles_gzipped_andReadsThemOldestFirst() throws Exception {
        var config = new LogConfig("json-file", Map.of("max-size", "200", "max-file", "3", "compress", "true")).validated();
        var logs = logs();
        for (int i = 0; i < 20; i++) conmonWrites("2026-12-01T07:00:%02dZ stdout F line-%d".formatted(i, i));
        logs.ended(ID, config);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.contains("-json.log")))
                    .containsExactlyInAnyOrder(ID + "-json.log", ID + "-json.log.1.gz", ID + "-json.log.2.gz");
        }
        List<String> all = read(logs, config, LogQuery.ALL);
        assertThat(all.getLast()).isEqualTo("STDOUT:line-19\n");
        for (int i = 1; i < all.size(); i++) {
            int prev = Integer.parseInt(all.get(i - 1).replaceAll("\\D", "")), now = Integer.parseInt(all.get(i).replaceAll("\\D", ""));
            assertThat(now).isEqualTo(prev + 1);
        }
        assertThat(read(logs, config, new LogQuery(true, true, null, null, 2, false)))
                .containsExactly("STDOUT:line-18\n", "STDOUT:line-19\n");
    }

    @Test
    void validation_namesTheDriverOrTheOption() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LogConfig("gelf", Map.of()).validated())
                .hasMessage("logger: no log driver named 'gelf' is registered");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LogConfig("json-file", Map.of("max-size", "1x")).validated())
                .hasMessage("invalid size: '1x'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LogConfig("none", Map.of("max-size", "1m")).validated())
                .hasMessage("unknown log opt 'max-size' for none log driver");
        assertThat(new LogConfig("json-file", Map.of("max-size", "10m")).validated().maxSize()).isEqualTo(10_000_000);
    }
}
