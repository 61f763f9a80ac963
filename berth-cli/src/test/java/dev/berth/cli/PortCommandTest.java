package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCommandTest {
    @Test
    void linesSortNaturally_numbersAsNumbers() {
        var lines = new ArrayList<>(List.of("80/tcp -> 127.0.0.1:9100", "9/tcp -> 0.0.0.0:9", "80/tcp -> 0.0.0.0:44891",
                "443/udp -> 0.0.0.0:443", "80/tcp -> 0.0.0.0:8080"));
        lines.sort(PortCommand.NATURAL);
        assertThat(lines).containsExactly("9/tcp -> 0.0.0.0:9", "80/tcp -> 0.0.0.0:8080", "80/tcp -> 0.0.0.0:44891",
                "80/tcp -> 127.0.0.1:9100", "443/udp -> 0.0.0.0:443");
    }
}
