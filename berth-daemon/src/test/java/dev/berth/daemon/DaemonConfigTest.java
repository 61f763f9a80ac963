package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DaemonConfigTest {
    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        Path p = dir.resolve("daemon.json");
        Files.writeString(p, json);
        return p;
    }

    private static Map<String, JsonNode> flags(Object... keyValues) {
        var m = new LinkedHashMap<String, JsonNode>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], Json.MAPPER.valueToTree(keyValues[i + 1]));
        return m;
    }

    private DaemonConfig resolve(String json, Object... flagKeyValues) throws Exception {
        return DaemonConfig.resolve(flags(flagKeyValues), file(json), Map.of());
    }

    @Test
    void everyDocumentedKey_isAccepted_andParsed() throws Exception {
        var c = resolve("""
                {"debug": true, "hosts": ["unix:///tmp/x.sock", "tcp://127.0.0.1:2376"], "tls": true, "tlsverify": true,
                 "tlscacert": "/c/ca.pem", "tlscert": "/c/cert.pem", "tlskey": "/c/key.pem", "live-restore": true,
                 "log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"}, "data-root": "/d", "exec-root": "/e",
                 "bridge": "berthx1", "bip": "172.31.0.1/16", "default-address-pools": [{"base": "10.10.0.0/16", "size": 24}],
                 "insecure-registries": ["myreg:5000", "10.0.0.0/8"], "registry-mirrors": ["https://mirror.example"],
                 "default-runtime": "crun", "runtimes": {"crun": {"path": "/usr/bin/crun", "runtimeArgs": ["--debug"]}},
                 "default-ulimits": {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}, "userland-proxy": false,
                 "iptables": false, "labels": ["env=test", "zone=a"], "max-concurrent-downloads": 7,
                 "max-concurrent-uploads": 2, "storage-driver": "overlay2", "group": "adm"}""");
        assertThat(c.debug()).isTrue();
        assertThat(c.hosts()).containsExactly("unix:///tmp/x.sock", "tcp://127.0.0.1:2376");
        assertThat(c.tls()).isEqualTo(new DaemonConfig.Tls(true, true, Path.of("/c/ca.pem"), Path.of("/c/cert.pem"), Path.of("/c/key.pem")));
        assertThat(c.liveRestore()).isTrue();
        assertThat(c.logDriver()).isEqualTo("json-file");
        assertThat(c.logOpts()).containsEntry("max-size", "10m").containsEntry("max-file", "3");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/d"));
        assertThat(c.pidFile()).isEqualTo(Path.of("/e/berthd.pid"));
        assertThat(c.bridge()).isEqualTo("berthx1");
        assertThat(c.bip()).isEqualTo("172.31.0.1/16");
        assertThat(c.defaultAddressPools()).containsExactly(new DaemonConfig.AddressPool("10.10.0.0/16", 24));
        assertThat(c.insecureRegistries()).containsExactly("myreg:5000", "10.0.0.0/8");
        assertThat(c.registryMirrors()).containsExactly("https://mirror.example/");
        assertThat(c.defaultRuntime()).isEqualTo("crun");
        assertThat(c.runtimes()).containsEntry("crun", new DaemonConfig.RuntimeEntry("/usr/bin/crun", List.of("--debug")));
        assertThat(c.defaultUlimits()).containsEntry("nofile", new DaemonConfig.Ulimit("nofile", 1024, 2048));
        assertThat(c.userlandProxy()).isFalse();
        assertThat(c.iptables()).isFalse();
        assertThat(c.labels()).containsExactly("env=test", "zone=a");
        assertThat(c.maxConcurrentDownloads()).isEqualTo(7);
        assertThat(c.maxConcurrentUploads()).isEqualTo(2);
        assertThat(c.group()).isEqualTo("adm");
    }

    @Test
    void defaults_matchDockerd() throws Exception {
        var c = resolve("{}");
        assertThat(c.hosts()).containsExactly("unix:///var/run/berth.sock");
        assertThat(c.tls().enabled()).isFalse();
        assertThat(c.liveRestore()).isFalse();
        assertThat(c.logDriver()).isEqualTo("json-file");
        assertThat(c.iptables()).isTrue();
        assertThat(c.userlandProxy()).isTrue();
        assertThat(c.maxConcurrentDownloads()).isEqualTo(3);
        assertThat(c.maxConcurrentUploads()).isEqualTo(5);
        assertThat(c.defaultRuntime()).isEqualTo("runc");
        assertThat(c.group()).isNull();
        assertThat(c.bridge()).isEqualTo("berth0");
        assertThat(c.bip()).isEmpty();
        assertThat(c.defaultAddressPools()).isEmpty();
    }

    @Test
    void theDefaultBridge_takesAnInterfaceName_orNone_andAHostAddressAsBip() throws Exception {
        assertThat(resolve("{\"bridge\": \"\"}").bridge()).isEqualTo("berth0");
        assertThat(resolve("{\"bridge\": \"none\"}").bridge()).isEqualTo("none");
        assertThat(resolve("{}", "bridge", "br_test.1-a").bridge()).isEqualTo("br_test.1-a");
        for (String bad : List.of("sixteen-chars-xx", "a b", "a/b", "-x", "a:1", ".x")) {
            assertThatThrownBy(() -> resolve("{\"bridge\": \"" + bad + "\"}")).as(bad)
                    .hasMessageContaining("unable to configure the Berth daemon with file")
                    .hasMessageContaining("invalid value for \"bridge\": invalid bridge name " + bad);
        }
        assertThatThrownBy(() -> resolve("{}", "bridge", "sixteen-chars-xx"))
                .hasMessage("invalid value for \"bridge\": invalid bridge name sixteen-chars-xx: at most 15 letters, digits, "
                        + "'_', '.' or '-', not starting with '.' or '-'");
        assertThatThrownBy(() -> resolve("{\"bridge\": 7}")).hasMessageContaining("\"bridge\"").hasMessageContaining("a string");
        assertThatThrownBy(() -> resolve("{\"bridge\": \"b1\"}", "bridge", "b2"))
                .hasMessageContaining("bridge: (from flag: b2, from file: b1)");

        assertThat(resolve("{}", "bip", "10.213.7.1/24").bip()).isEqualTo("10.213.7.1/24");
        assertThatThrownBy(() -> resolve("{\"bip\": \"10.213.7.0/24\"}")).hasMessageContaining("\"bip\": 10.213.7.0/24 is not a host address");
        assertThatThrownBy(() -> resolve("{\"bip\": \"10.213.7.255/24\"}")).hasMessageContaining("not a host address");
        assertThatThrownBy(() -> resolve("{\"bip\": \"10.213.7.1\"}")).hasMessageContaining("\"bip\": invalid CIDR address: 10.213.7.1");
        assertThatThrownBy(() -> resolve("{\"bip\": \"10.213.7.1/31\"}")).hasMessageContaining("between 8 and 30");
        assertThatThrownBy(() -> resolve("{\"bridge\": \"none\"}", "bip", "10.213.7.1/24"))
                .hasMessageContaining("\"bridge\" is none");
    }

    @Test
    void anEmptyFile_andAMissingDefaultFile_meanNoOptions() throws Exception {
        assertThat(resolve("").hosts()).containsExactly(Hosts.DEFAULT);
        assertThatThrownBy(() -> DaemonConfig.resolve(Map.of(), dir.resolve("nope.json"), Map.of()))
                .hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> DaemonConfig.resolve(Map.of(), dir, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unable to configure the Berth daemon with file " + dir);
    }

    @Test
    void anOptionGivenTwice_isRefused_inDockerdsWords() {
        assertThatThrownBy(() -> resolve("{\"hosts\": [\"tcp://127.0.0.1:2376\"], \"debug\": true}",
                "hosts", List.of("unix:///tmp/a.sock"), "debug", true))
                .hasMessage("unable to configure the Berth daemon with file " + dir.resolve("daemon.json")
                        + ": the following directives are specified both as a flag and in the configuration file: "
                        + "hosts: (from flag: [unix:///tmp/a.sock], from file: [tcp://127.0.0.1:2376]), "
                        + "debug: (from flag: true, from file: true)");
    }

    @Test
    void unknownKeys_areRefused_byName() {
        assertThatThrownBy(() -> resolve("{\"foo\": 1, \"debug\": false, \"bar\": 2}"))
                .hasMessageEndingWith("the following directives don't match any configuration option: bar, foo");
    }

    @Test
    void badValues_areRefused_namingTheKey() {
        assertThatThrownBy(() -> resolve("{\"debug\": \"yes\"}")).hasMessageContaining("\"debug\"").hasMessageContaining("a boolean");
        assertThatThrownBy(() -> resolve("{\"labels\": [\"novalue\"]}")).hasMessageContaining("\"labels\": bad attribute format: novalue");
        assertThatThrownBy(() -> resolve("{\"labels\": [\"a=1\", \"a=2\"]}")).hasMessageContaining("conflict labels for a");
        assertThatThrownBy(() -> resolve("{\"max-concurrent-downloads\": -1}")).hasMessageContaining("\"max-concurrent-downloads\"");
        assertThatThrownBy(() -> resolve("{\"max-concurrent-downloads\": 1.5}")).hasMessageContaining("an integer");
        assertThatThrownBy(() -> resolve("{\"log-driver\": \"foo\"}")).hasMessageContaining("no log driver named 'foo'");
        assertThatThrownBy(() -> resolve("{\"log-opts\": {\"max-file\": 3}}")).hasMessageContaining("\"log-opts\"");
        assertThatThrownBy(() -> resolve("{\"log-opts\": {\"colour\": \"blue\"}}"))
                .hasMessageContaining("\"log-opts\"").hasMessageContaining("unknown log opt 'colour' for json-file log driver");
        assertThatThrownBy(() -> resolve("{\"bip\": \"300.1.1.1/16\"}")).hasMessageContaining("\"bip\": invalid CIDR address");
        assertThatThrownBy(() -> resolve("{\"default-address-pools\": [{\"base\": \"10.0.0.0/16\", \"size\": 8}]}"))
                .hasMessageContaining("\"default-address-pools\"");
        assertThatThrownBy(() -> resolve("{\"insecure-registries\": [\"http://r:5000\"]}")).hasMessageContaining("should not contain '://'");
        assertThatThrownBy(() -> resolve("{\"registry-mirrors\": [\"ftp://m\"]}")).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> resolve("{\"default-runtime\": \"crun\"}")).hasMessageContaining("\"default-runtime\"");
        assertThatThrownBy(() -> resolve("{\"runtimes\": {\"runc\": {\"path\": \"/x\"}}}")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> resolve("{\"default-ulimits\": {\"nofile\": {\"Soft\": 10, \"Hard\": 5}}}")).hasMessageContaining("soft limit");
        assertThatThrownBy(() -> resolve("{\"default-ulimits\": {\"bogus\": {\"Soft\": 1, \"Hard\": 5}}}")).hasMessageContaining("invalid ulimit type");
        assertThatThrownBy(() -> resolve("{\"storage-driver\": \"btrfs\"}")).hasMessageContaining("\"storage-driver\"");
        assertThatThrownBy(() -> resolve("{\"hosts\": [\"ssh://x\"]}")).hasMessageContaining("\"hosts\": invalid bind address format");
        assertThatThrownBy(() -> resolve("{\"debug\": true,}")).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> resolve("[1]")).hasMessageContaining("JSON object");
    }

    @Test
    void aBadFlagValue_isNotBlamedOnTheFile() {
        assertThatThrownBy(() -> resolve("{}", "labels", List.of("x"))).hasMessage("invalid value for \"labels\": bad attribute format: x");
    }

    @Test
    void hosts_takeDockerdsShortForms() {
        assertThat(Hosts.normalize("tcp://", false)).isEqualTo("tcp://127.0.0.1:2375");
        assertThat(Hosts.normalize("tcp://0.0.0.0", true)).isEqualTo("tcp://0.0.0.0:2376");
        assertThat(Hosts.normalize(":5555", false)).isEqualTo("tcp://127.0.0.1:5555");
        assertThat(Hosts.normalize("10.0.0.1:2375", false)).isEqualTo("tcp://10.0.0.1:2375");
        assertThat(Hosts.normalize("unix://", false)).isEqualTo(Hosts.DEFAULT);
        assertThat(Hosts.normalize("fd://", false)).isEqualTo("fd://");
        assertThat(Hosts.normalize("fd://3", false)).isEqualTo("fd://3");
        assertThatThrownBy(() -> Hosts.normalize("fd://x", false)).hasMessageContaining("invalid bind address");
        assertThatThrownBy(() -> Hosts.normalize("tcp://h:99999", false)).hasMessageContaining("invalid bind address");
    }

    @Test
    void tlsverify_impliesTls_andFilesDefaultToTheCertPath() throws Exception {
        var c = DaemonConfig.resolve(flags("tlsverify", true), file("{}"), Map.of("DOCKER_CERT_PATH", "/certs"));
        assertThat(c.tls()).isEqualTo(new DaemonConfig.Tls(true, true, Path.of("/certs/ca.pem"), Path.of("/certs/cert.pem"),
                Path.of("/certs/key.pem")));
        var fromEnv = DaemonConfig.resolve(flags(), file("{}"), Map.of("DOCKER_TLS_VERIFY", "1"));
        assertThat(fromEnv.tls().verify()).isTrue();
    }

    @Test
    void plainTcp_isWarnedAbout() throws Exception {
        assertThat(resolve("{}", "hosts", List.of("tcp://127.0.0.1:2375")).warnings())
                .singleElement().asString().startsWith("WARNING: API is accessible on http://127.0.0.1:2375 without encryption.");
        assertThat(resolve("{}", "hosts", List.of("tcp://127.0.0.1:2376"), "tlsverify", true).warnings()).isEmpty();
    }

    @Test
    void reload_changesOnlyTheReloadableOptions() throws Exception {
        var c = resolve("{\"labels\": [\"a=1\"], \"log-driver\": \"none\", \"debug\": false}", "hosts", List.of("unix:///tmp/r.sock"));
        file("{\"labels\": [\"b=2\"], \"log-driver\": \"json-file\", \"debug\": true, \"live-restore\": true, "
                + "\"insecure-registries\": [\"r:5000\"], \"max-concurrent-downloads\": 9}");
        var r = c.reload(Map.of());
        assertThat(r.labels()).containsExactly("b=2");
        assertThat(r.debug()).isTrue();
        assertThat(r.liveRestore()).isTrue();
        assertThat(r.insecureRegistries()).containsExactly("r:5000");
        assertThat(r.maxConcurrentDownloads()).isEqualTo(9);
        assertThat(r.logDriver()).isEqualTo("none"); // not reloadable
        assertThat(r.hosts()).containsExactly("unix:///tmp/r.sock");
    }

    @Test
    void reload_stillRefusesConflictsWithTheFlags() throws Exception {
        var c = resolve("{}", "labels", List.of("a=1"));
        file("{\"labels\": [\"b=2\"]}");
        assertThatThrownBy(() -> c.reload(Map.of())).hasMessageContaining("labels: (from flag: [a=1], from file: [b=2])");
    }

    @Test
    void flagsBuiltByBerthd_haveTheFilesShapes() throws Exception {
        var d = new Berthd();
        new picocli.CommandLine(d).parseArgs("-H", "tcp://127.0.0.1:1", "--label", "x=1", "--log-opt", "max-size=1m",
                "--default-ulimit", "nofile=10:20", "--add-runtime", "crun=/usr/bin/crun", "--iptables=false",
                "--default-address-pool", "base=10.1.0.0/16,size=24", "-D", "--tlsverify", "-b", "berthx2", "--bip", "10.1.9.1/24");
        var c = DaemonConfig.resolve(d.flags(), file("{}"), Map.of());
        assertThat(c.labels()).containsExactly("x=1");
        assertThat(c.logOpts()).containsEntry("max-size", "1m");
        assertThat(c.defaultUlimits()).containsEntry("nofile", new DaemonConfig.Ulimit("nofile", 10, 20));
        assertThat(c.runtimes()).containsKey("crun");
        assertThat(c.iptables()).isFalse();
        assertThat(c.defaultAddressPools()).containsExactly(new DaemonConfig.AddressPool("10.1.0.0/16", 24));
        assertThat(c.bridge()).isEqualTo("berthx2");
        assertThat(c.bip()).isEqualTo("10.1.9.1/24");
        assertThat(c.debug()).isTrue();
        assertThat(c.tls().verify()).isTrue();
        assertThat(c.hosts()).containsExactly("tcp://127.0.0.1:1");
    }
}
