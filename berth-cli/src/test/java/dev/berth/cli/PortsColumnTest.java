package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.PortsColumn.Port;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PORTS column as the Docker CLI folds it (PublishedPortsIT compares it with the real CLI's). */
class PortsColumnTest {
    @Test
    void exposedPorts_foldIntoRanges_perProtocol() {
        assertThat(PortsColumn.of(List.of(new Port("", 81, 0, "tcp"), new Port("", 80, 0, "tcp"), new Port("", 80, 0, "udp"),
                new Port("", 85, 0, "tcp")))).isEqualTo("80-81/tcp, 85/tcp, 80/udp");
    }

    @Test
    void portsPublishedOnTheirOwnNumber_foldPerAddress_andOthersFollowOneByOne() {
        var ports = List.of(new Port("0.0.0.0", 9401, 9401, "tcp"), new Port("127.0.0.1", 80, 9100, "tcp"),
                new Port("0.0.0.0", 9400, 9400, "tcp"), new Port("0.0.0.0", 80, 35309, "tcp"),
                new Port("0.0.0.0", 9300, 9300, "udp"), new Port("0.0.0.0", 9301, 9301, "udp"), new Port("", 7000, 0, "tcp"));
        assertThat(PortsColumn.of(ports)).isEqualTo("7000/tcp, 0.0.0.0:9300-9301->9300-9301/udp, "
                + "0.0.0.0:9400-9401->9400-9401/tcp, 0.0.0.0:35309->80/tcp, 127.0.0.1:9100->80/tcp");
    }

    @Test
    void anIpv6Address_isBracketed_andNoPortsIsEmpty() {
        assertThat(PortsColumn.of(List.of(new Port("::", 80, 8080, "tcp")))).isEqualTo("[::]:8080->80/tcp");
        assertThat(PortsColumn.of(List.of())).isEmpty();
    }
}
