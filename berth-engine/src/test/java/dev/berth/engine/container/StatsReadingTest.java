package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsReadingTest {
    @Test
    void netDev_readsEachInterfaceButLoopback(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dev");
        Files.writeString(file, """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:     140       2    0    0    0     0          0         0      140       2    0    0    0     0       0          0
                  eth0:    1500      10    1    2    0     0          0         0      900       7    3    4    0     0       0          0
                """);
        var interfaces = StatsReading.netDev(file);
        assertThat(interfaces).containsOnlyKeys("eth0");
        assertThat(interfaces.get("eth0")).isEqualTo(new StatsReading.NetDev(1500, 10, 1, 2, 900, 7, 3, 4));
        assertThat(StatsReading.netDev(dir.resolve("missing"))).isEmpty();
    }
}
