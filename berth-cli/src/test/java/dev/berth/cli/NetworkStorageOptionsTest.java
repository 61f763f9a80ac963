package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** -p, -v, --mount and friends turned into the create request as the Docker CLI sends them. */
class NetworkStorageOptionsTest {
    private static Map<String, Object> body(String... args) {
        var run = new RunCommand(null);
        new CommandLine(run).setStopAtPositional(true).parseArgs(args);
        return run.options.createBody(run.image, run.command, false, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> host(Map<String, Object> body) {
        return (Map<String, Object>) body.get("HostConfig");
    }

    @Test
    void publish_specsBecomeBindings() {
        var b = body("-p", "8080:80", "-p", "127.0.0.1:5353:53/udp", "-p", "9000", "-p", "7000-7001:70-71", "--expose", "443", "busybox");
        assertThat((Map<String, Object>) b.get("ExposedPorts")).containsOnlyKeys("80/tcp", "53/udp", "9000/tcp", "70/tcp", "71/tcp", "443/tcp");
        assertThat(host(b).get("PortBindings")).isEqualTo(Map.of(
                "80/tcp", List.of(Map.of("HostIp", "", "HostPort", "8080")),
                "53/udp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "5353")),
                "9000/tcp", List.of(Map.of("HostIp", "", "HostPort", "")),
                "70/tcp", List.of(Map.of("HostIp", "", "HostPort", "7000")),
                "71/tcp", List.of(Map.of("HostIp", "", "HostPort", "7001"))));
        assertThatThrownBy(() -> body("-p", "80:99999", "busybox")).hasMessageContaining("invalid port");
        assertThatThrownBy(() -> body("-p", "nonsense", "busybox")).hasMessageContaining("invalid publish spec");
        // A host range for one container port is the pool to pick from; a container range needs one as long.
        assertThat(host(body("-p", "8000-8001:80", "busybox")).get("PortBindings"))
                .isEqualTo(Map.of("80/tcp", List.of(Map.of("HostIp", "", "HostPort", "8000-8001"))));
        assertThatThrownBy(() -> body("-p", "8080:80-81", "busybox"))
                .hasMessageContaining("invalid ranges specified for container and host Ports: 80-81 and 8080");
    }

    @Test
    void volumesAndMounts() {
        var b = body("-v", "data:/data", "-v", "/srv:/srv:ro", "-v", "/cache",
                "--mount", "type=tmpfs,target=/run,tmpfs-size=64m", "--mount", "source=v2,target=/v2,readonly", "busybox");
        assertThat(host(b).get("Binds")).isEqualTo(List.of("data:/data", "/srv:/srv:ro"));
        assertThat(b.get("Volumes")).isEqualTo(Map.of("/cache", Map.of()));
        assertThat(host(b).get("Mounts")).isEqualTo(List.of(
                Map.of("Target", "/run", "Type", "tmpfs", "TmpfsOptions", Map.of("SizeBytes", 64L << 20)),
                Map.of("Source", "v2", "Target", "/v2", "ReadOnly", true, "Type", "volume")));
        assertThatThrownBy(() -> body("-v", "relative", "busybox")).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> body("--mount", "type=nfs,target=/x", "busybox")).hasMessageContaining("invalid mount type");
        assertThatThrownBy(() -> body("--mount", "type=bind,source=/x", "busybox")).hasMessageContaining("target is required");
        assertThatThrownBy(() -> body("--mount", "type=tmpfs,target=/t,tmpfs-mode=zz", "busybox")).hasMessageContaining("invalid value for tmpfs-mode: zz");
        assertThatThrownBy(() -> body("--mount", "type=volume,target=/v,volume-driver", "busybox")).hasMessageContaining("must be a key=value pair");
    }

    @Test
    void dnsHostsAndAliases() {
        var b = body("--dns", "10.0.0.2", "--add-host", "db:10.0.0.5", "--add-host", "gw=host-gateway",
                "--network", "backend", "--network-alias", "api", "--ip", "172.30.0.9", "busybox");
        assertThat(host(b)).containsEntry("Dns", List.of("10.0.0.2")).containsEntry("ExtraHosts", List.of("db:10.0.0.5", "gw:host-gateway"))
                .containsEntry("NetworkMode", "backend");
        assertThat(b.get("NetworkingConfig")).isEqualTo(Map.of("EndpointsConfig",
                Map.of("backend", Map.of("Aliases", List.of("api"), "IPAMConfig", Map.of("IPv4Address", "172.30.0.9")))));
        assertThatThrownBy(() -> PortOptions.extraHost("nohost")).hasMessageContaining("bad format for add-host");
    }

    @Test
    void volumeAndNetworkCommandsAreThere() {
        var r = CliUnitTest.berth(Map.of(), "network", "--help");
        assertThat(r.out()).contains("connect").contains("disconnect").contains("prune");
        assertThat(CliUnitTest.berth(Map.of(), "volume", "create", "--help").out()).contains("--driver");
        var labels = new LinkedHashMap<String, String>();
        labels.put("a", "1");
        labels.put("flag", "");
        assertThat(KeyValues.parse(List.of("a=1", "flag"), "--label")).isEqualTo(labels);
    }
}
