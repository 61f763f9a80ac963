package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * daemon.json as an operator uses it: checked with --validate, refused with the key named when wrong or given twice,
 * shown by {@code docker info}, reloaded on SIGHUP without touching containers; and the unix socket's mode and group.
 */
class DaemonConfigIT {
    private static Cli.Result berthd(String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of(TestDaemon.REPO.resolve("bin/berthd").toString()));
        cmd.addAll(List.of(args));
        return Cli.run(cmd, Map.of(), null);
    }

    private static Path write(Path dir, String name, String json) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void validate_acceptsAGoodFile_andNamesWhatIsWrongInABadOne() throws Exception {
        Path dir = Files.createTempDirectory("bitcfg");
        try {
            Path good = write(dir, "good.json", """
                    {"debug": true, "labels": ["env=ci"], "live-restore": true, "log-driver": "json-file",
                     "log-opts": {"max-size": "10m"}, "insecure-registries": ["myreg:5000"], "default-ulimits":
                     {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}, "max-concurrent-downloads": 4,
                     "tls": false, "group": "docker", "storage-driver": "overlay2", "iptables": true}""");
            var ok = berthd("--validate", "--config-file", good.toString());
            assertThat(ok.exit()).as(ok.toString()).isZero();
            assertThat(ok.out()).isEqualTo("configuration OK\n");

            var unknown = berthd("--validate", "--config-file", write(dir, "u.json", "{\"foo\": 1, \"debug\": true}").toString());
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("the following directives don't match any configuration option: foo");

            var bad = berthd("--validate", "--config-file", write(dir, "b.json", "{\"max-concurrent-downloads\": \"many\"}").toString());
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.err()).contains("\"max-concurrent-downloads\"").contains("an integer");

            var malformed = berthd("--validate", "--config-file", write(dir, "m.json", "{\"debug\": tru").toString());
            assertThat(malformed.exit()).isEqualTo(1);
            assertThat(malformed.err()).contains("m.json").contains("invalid JSON");

            var twice = berthd("--validate", "-H", "unix:///tmp/bitcfg-x.sock", "--label", "a=1", "--config-file",
                    write(dir, "t.json", "{\"hosts\": [\"tcp://127.0.0.1:2376\"], \"labels\": [\"b=2\"]}").toString());
            assertThat(twice.exit()).isEqualTo(1);
            assertThat(twice.err()).contains("the following directives are specified both as a flag and in the configuration file: "
                    + "hosts: (from flag: [unix:///tmp/bitcfg-x.sock], from file: [tcp://127.0.0.1:2376]), labels: (from flag: [a=1], from file: [b=2])");

            var missing = berthd("--validate", "--config-file", dir.resolve("none.json").toString());
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("no such file or directory");
        } finally {
            Cli.run(List.of("rm", "-rf", dir.toString()), Map.of(), null);
        }
    }

    @Test
    void info_showsTheConfiguration_andSighupReloadsIt_leavingContainersRunning() throws Exception {
        try (var d = new TestDaemon().withConfig("""
                {"labels": ["env=ci", "zone=a"], "live-restore": true, "insecure-registries": ["myreg:5000", "10.0.0.0/8"],
                 "registry-mirrors": ["https://mirror.example"], "runtimes": {"alt": {"path": "/usr/sbin/runc"}},
                 "log-driver": "json-file", "max-concurrent-downloads": 2}""")) {
            d.start();
            d.loadBusybox();
            assertThat(d.docker("info", "--format", "{{json .Labels}}").out()).isEqualTo("[\"env=ci\",\"zone=a\"]\n");
            assertThat(d.docker("info", "--format", "{{.LiveRestoreEnabled}} {{.LoggingDriver}} {{.Debug}} {{.RegistryConfig.Mirrors}}").out())
                    .isEqualTo("true json-file false [https://mirror.example/]\n");
            String text = d.docker("info").out();
            assertThat(text).contains(" Labels:\n  env=ci\n  zone=a\n")
                    .contains(" Insecure Registries:\n  myreg:5000\n")
                    .contains("  10.0.0.0/8\n")
                    .contains(" Registry Mirrors:\n  https://mirror.example/\n")
                    .contains(" Live Restore Enabled: true")
                    .containsPattern("Runtimes: .*alt");
            // berth info prints the same sections as docker info.
            assertThat(d.berth("info").out()).contains(" Labels:\n  env=ci\n  zone=a\n")
                    .contains(" Insecure Registries:\n  myreg:5000\n")
                    .contains(" Registry Mirrors:\n  https://mirror.example/\n")
                    .contains(" Runtimes: runc alt\n")
                    .contains(" Live Restore Enabled: true");

            String id = d.docker("run", "-d", "busybox", "sleep", "300").out().strip();
            String pid = d.docker("inspect", "--format", "{{.State.Pid}}", id).out().strip();

            Files.writeString(d.configFile(), """
                    {"labels": ["env=prod"], "debug": true, "live-restore": false, "insecure-registries": ["other:5000"],
                     "registry-mirrors": ["https://mirror.example"], "runtimes": {"alt": {"path": "/usr/sbin/runc"}},
                     "log-driver": "json-file", "max-concurrent-downloads": 2}""");
            hangUp(d);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(d.docker("info", "--format", "{{json .Labels}} {{.Debug}} {{.LiveRestoreEnabled}}").out())
                            .isEqualTo("[\"env=prod\"] true false\n"));
            assertThat(d.docker("info").out()).contains("  other:5000\n").doesNotContain("myreg:5000");
            assertThat(d.docker("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", id).out()).isEqualTo("running " + pid + "\n");
            assertThat(d.process().isAlive()).isTrue();
            Thread.sleep(1100); // --until is whole seconds: let the reload's second pass
            assertThat(d.docker("events", "--since", "5m", "--until", "0s", "--filter", "type=daemon", "--format", "{{.Action}}").out())
                    .contains("reload");

            // A file that no longer passes changes nothing, and the daemon keeps serving.
            Files.writeString(d.configFile(), "{\"labels\": [\"env=broken\"], \"bogus\": 1}");
            hangUp(d);
            Thread.sleep(1000);
            assertThat(d.process().isAlive()).isTrue();
            assertThat(d.docker("info", "--format", "{{json .Labels}}").out()).isEqualTo("[\"env=prod\"]\n");
            assertThat(d.log()).contains("bogus");
            assertThat(d.docker("inspect", "--format", "{{.State.Status}}", id).out()).isEqualTo("running\n");
            d.docker("rm", "-f", id);
        }
    }

    private static void hangUp(TestDaemon d) throws Exception {
        assertThat(Cli.run(List.of("kill", "-HUP", Long.toString(d.process().pid())), Map.of(), null).exit()).isZero();
    }

    @Test
    void unixSocket_isMode0660_ownedByTheDockerGroupOrTheOneGiven() throws Exception {
        boolean dockerGroup = Cli.run(List.of("getent", "group", "docker"), Map.of(), null).exit() == 0;
        try (var d = new TestDaemon()) {
            d.start();
            assertThat(stat(d)).isEqualTo("660 root " + (dockerGroup ? "docker" : "root") + "\n");
        }
        try (var d = new TestDaemon().withFlags("-G", "adm")) {
            d.start();
            assertThat(stat(d)).isEqualTo("660 root adm\n");
        }
        try (var d = new TestDaemon().withConfig("{\"group\": \"nosuchgroup-berth\"}")) {
            var e = org.assertj.core.api.Assertions.catchThrowable(d::start);
            assertThat(e).hasMessageContaining("group nosuchgroup-berth not found");
        }
    }

    private static String stat(TestDaemon d) throws Exception {
        return Cli.run(List.of("stat", "-c", "%a %U %G", d.host().substring("unix://".length())), Map.of(), null).out();
    }
}
