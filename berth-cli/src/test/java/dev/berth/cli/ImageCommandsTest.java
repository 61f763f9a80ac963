package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.EngineClient;
import org.junit.jupiter.api.Test;

/** Docker's arithmetic and wording for system df and history, over daemon replies. */
class ImageCommandsTest {
    @Test
    void diskUsageSummary_likeDockers() {
        var df = EngineClient.json().readTree("""
                {"LayersSize": 4000000,
                 "Images": [{"Size": 3000000, "SharedSize": 1000000, "Containers": 1}, {"Size": 2000000, "SharedSize": 1000000, "Containers": 0}],
                 "Containers": [{"State": "running", "SizeRw": 100}, {"State": "exited", "SizeRw": 300}],
                 "Volumes": [], "BuildCache": []}""");
        var lines = DiskUsageCommand.summary(df);
        var images = lines.get(0);
        assertThat(images.field("TotalCount")).isEqualTo("2");
        assertThat(images.field("Active")).isEqualTo("1");
        assertThat(images.field("Size")).isEqualTo("4MB");
        // In use: 3 MB - 1 MB shared = 2 MB; reclaimable 4 - 2 = 2 MB, 50%.
        assertThat(images.field("Reclaimable")).isEqualTo("2MB (50%)");
        var containers = lines.get(1);
        assertThat(containers.field("Active")).isEqualTo("1");
        assertThat(containers.field("Size")).isEqualTo("400B");
        assertThat(containers.field("Reclaimable")).isEqualTo("300B (75%)");
        assertThat(lines.get(2).field("Reclaimable")).isEqualTo("0B");
        var out = new StringBuilder();
        new dev.berth.format.Formatter(null, DiskUsageCommand.DEFAULT_TABLE, DiskUsageCommand.HEADERS).write(lines, out);
        assertThat(out.toString()).startsWith("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\nImages          2         1 ");
    }

    @Test
    void historyRow_truncatesLikeDocker() {
        var h = EngineClient.json().readTree("""
                {"Id": "sha256:0123456789abcdef0123", "Created": 1764561600,
                 "CreatedBy": "/bin/sh -c #(nop) ADD file:0123456789abcdef in / ", "Size": 1980000, "Comment": "Imported from -"}""");
        var row = new HistoryCommand.Row(h, true, true);
        assertThat(row.field("ID")).isEqualTo("0123456789ab");
        assertThat(row.field("CreatedBy")).isEqualTo("/bin/sh -c #(nop) ADD file:0123456789abcdef …");
        assertThat(row.field("Size")).isEqualTo("1.98MB");
        assertThat(new HistoryCommand.Row(h, false, false).field("Size")).isEqualTo("1980000");
        var missing = EngineClient.json().readTree("{\"Id\": \"<missing>\", \"Created\": 0, \"Size\": 0}");
        assertThat(new HistoryCommand.Row(missing, true, true).field("ID")).isEqualTo("<missing>");
    }
}
