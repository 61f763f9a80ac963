package dev.berth.oci;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import dev.berth.oci.spec.Linux.LinuxDeviceCgroup;
import dev.berth.oci.spec.Linux.LinuxNamespace;
import dev.berth.oci.spec.Spec;
import dev.berth.oci.spec.Spec.POSIXRlimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.berth.oci.TestHosts.host;
import static dev.berth.oci.TestHosts.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciSpecsTest {

    @TempDir
    Path rootfs;

    private Spec build(SpecOptions.Builder b) {
        return OciSpecs.build(b.build(), host());
    }

    private void writePasswd(String text) throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), text);
    }

    @Test
    void env_startsWithPathAndHostname_andHomeFromPasswd() throws Exception {
        writePasswd("root:x:0:0:root:/root:/bin/sh\n");

        var env = build(options(rootfs).env(List.of("FOO=bar"))).process().env();

        assertThat(env).containsExactly(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=c0ffee", "FOO=bar", "HOME=/root");
    }

    @Test
    void env_containerValuesReplaceDefaults_andBareKeysUnsetThem() {
        var env = build(options(rootfs).terminal(true)
                .env(List.of("PATH=/opt/bin", "HOME=/home/app", "TERM", "HOSTNAME=x"))).process().env();

        assertThat(env).containsExactly("PATH=/opt/bin", "HOSTNAME=x", "HOME=/home/app");
    }

    @Test
    void env_withTerminal_hasTermXterm_andWithoutPasswdHomeIsSlash() {
        var env = build(options(rootfs).terminal(true)).process().env();

        assertThat(env).contains("TERM=xterm", "HOME=/");
    }

    @Test
    void process_carriesArgsCwdTerminalConsoleSizeAndOomScore() {
        var process = build(options(rootfs).args("sh", "-c", "echo hi").cwd("/work").terminal(true)
                .consoleSize(new ConsoleSize(40, 120)).noNewPrivileges(true).oomScoreAdj(-500)).process();

        assertThat(process.args()).containsExactly("sh", "-c", "echo hi");
        assertThat(process.cwd()).isEqualTo("/work");
        assertThat(process.terminal()).isTrue();
        assertThat(process.consoleSize()).isEqualTo(new Spec.Box(40, 120));
        assertThat(process.noNewPrivileges()).isTrue();
        assertThat(process.oomScoreAdj()).isEqualTo(-500);
    }

    @Test
    void process_byDefault_runsAsRootInSlash_withoutConsoleSize() {
        var process = build(options(rootfs).consoleSize(new ConsoleSize(40, 120))).process();

        assertThat(process.cwd()).isEqualTo("/");
        assertThat(process.user()).isEqualTo(new Spec.User(0, 0, List.of(0L)));
        assertThat(process.consoleSize()).isNull();
        assertThat(process.oomScoreAdj()).isZero();
        assertThat(process.noNewPrivileges()).isFalse();
    }

    @Test
    void build_withoutCommand_isRefused() {
        assertThatThrownBy(() -> OciSpecs.build(options(rootfs).args(List.of()).build(), host()))
                .isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void rlimits_giveHighNofile_cappedAtOurOwnHardLimit() {
        var capped = build(options(rootfs)).process().rlimits();
        var roomy = OciSpecs.build(options(rootfs).build(),
                new HostInfo("6.18.0", "amd64", Capabilities.KNOWN, 4_000_000, List.of(), java.util.Set.of(), false))
                .process().rlimits();

        assertThat(capped).containsExactly(new POSIXRlimit("RLIMIT_NOFILE", BigInteger.valueOf(20_000), BigInteger.valueOf(20_000)));
        assertThat(roomy).containsExactly(new POSIXRlimit("RLIMIT_NOFILE", BigInteger.valueOf(1_048_576), BigInteger.valueOf(1_048_576)));
    }

    @Test
    void rlimits_userUlimitsWin_andMinusOneIsInfinity() {
        var rlimits = build(options(rootfs).ulimits(List.of(new Ulimit("nofile", 1024, 2048), new Ulimit("core", -1, -1))))
                .process().rlimits();

        assertThat(rlimits).containsExactly(
                new POSIXRlimit("RLIMIT_NOFILE", BigInteger.valueOf(2048), BigInteger.valueOf(1024)),
                new POSIXRlimit("RLIMIT_CORE", new BigInteger("18446744073709551615"), new BigInteger("18446744073709551615")));
    }

    @Test
    void ulimit_withSoftAboveHard_orUnknownName_isRefusedWithGoUnitsMessages() {
        assertThatThrownBy(() -> new Ulimit("nofile", 10, 5))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("ulimit soft limit must be less than or equal to hard limit: 10 > 5");
        assertThatThrownBy(() -> new Ulimit("as", 1, 1))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid ulimit type: as");
    }

    @Test
    void namespaces_followTheNetworkMode() {
        assertThat(build(options(rootfs).networkMode(NetworkMode.NONE)).linux().namespaces())
                .containsExactly(ns("mount"), ns("network"), ns("uts"), ns("pid"), ns("ipc"));
        assertThat(build(options(rootfs).networkMode(NetworkMode.HOST)).linux().namespaces())
                .containsExactly(ns("mount"), ns("uts"), ns("pid"), ns("ipc"));
        assertThat(build(options(rootfs).networkMode(NetworkMode.path("/run/netns/c1"))).linux().namespaces())
                .contains(new LinuxNamespace("network", "/run/netns/c1"));
        assertThat(build(options(rootfs).cgroupns(CgroupnsMode.PRIVATE)).linux().namespaces())
                .endsWith(ns("cgroup"));
    }

    private static LinuxNamespace ns(String type) {
        return new LinuxNamespace(type, null);
    }

    @Test
    void sysctls_ownNetworkNamespaceGetsDockersDefaults_userValuesWin() {
        var none = build(options(rootfs).domainname("example.org")
                .sysctls(Map.of("net.ipv4.ip_unprivileged_port_start", "1024"))).linux().sysctl();
        var host = build(options(rootfs).networkMode(NetworkMode.HOST)).linux().sysctl();
        var joined = build(options(rootfs).networkMode(NetworkMode.container("/proc/1/ns/net"))).linux().sysctl();

        assertThat(none).containsOnly(
                Map.entry("kernel.domainname", "example.org"),
                Map.entry("net.ipv4.ping_group_range", "0 2147483647"),
                Map.entry("net.ipv4.ip_unprivileged_port_start", "1024"));
        assertThat(host).isNull();
        assertThat(joined).isNull();
    }

    @Test
    void resources_mapDockersFieldsLikeDockerDoes() {
        var r = new Resources(512L << 20, null, -1L, null, null, 512L, 1_500_000_000L, null, null, "0-1", null, 0L, null);
        var res = build(options(rootfs).resources(r).cgroupsPath("/docker/abc")).linux();

        assertThat(res.cgroupsPath()).isEqualTo("/docker/abc");
        assertThat(res.resources().memory().limit()).isEqualTo(512L << 20);
        assertThat(res.resources().memory().swap()).as("-1 (unlimited) is left out").isNull();
        assertThat(res.resources().cpu().shares()).isEqualTo(512L);
        assertThat(res.resources().cpu().period()).isEqualTo(100_000L);
        assertThat(res.resources().cpu().quota()).isEqualTo(150_000L);
        assertThat(res.resources().cpu().cpus()).isEqualTo("0-1");
        assertThat(res.resources().pids().limit()).isEqualTo(-1);
        assertThat(build(options(rootfs)).linux().resources().memory()).isNull();
    }

    @Test
    void devices_byDefault_areRuncsDefaults_behindDockersCgroupRules() {
        var linux = build(options(rootfs)).linux();

        assertThat(linux.devices()).isEmpty();
        assertThat(linux.resources().devices()).containsExactly(
                new LinuxDeviceCgroup(false, null, null, null, "rwm"),
                new LinuxDeviceCgroup(true, "c", 1L, 5L, "rwm"),
                new LinuxDeviceCgroup(true, "c", 1L, 3L, "rwm"),
                new LinuxDeviceCgroup(true, "c", 1L, 9L, "rwm"),
                new LinuxDeviceCgroup(true, "c", 1L, 8L, "rwm"),
                new LinuxDeviceCgroup(true, "c", 5L, 0L, "rwm"),
                new LinuxDeviceCgroup(true, "c", 5L, 1L, "rwm"),
                new LinuxDeviceCgroup(false, "c", 10L, 229L, "rwm"));
    }

    @Test
    void devices_deviceMappingAndCgroupRule_areAllowed() {
        var linux = build(options(rootfs)
                .devices(List.of(new DeviceMapping("/dev/null", "/dev/mynull", "r")))
                .deviceCgroupRules(List.of("c 13:* rwm"))).linux();

        assertThat(linux.devices()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("/dev/mynull");
            assertThat(d.type()).isEqualTo("c");
            assertThat(d.major()).isEqualTo(1);
            assertThat(d.minor()).isEqualTo(3);
        });
        assertThat(linux.resources().devices()).endsWith(
                new LinuxDeviceCgroup(true, "c", 1L, 3L, "r"),
                new LinuxDeviceCgroup(true, "c", 13L, -1L, "rwm"));
        assertThatThrownBy(() -> build(options(rootfs).deviceCgroupRules(List.of("x 1:2 rwm"))))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid device cgroup rule format: 'x 1:2 rwm'");
    }

    @Test
    void privileged_seesHostDevices_andMayUseAny() {
        var linux = build(options(rootfs).privileged(true)).linux();

        assertThat(linux.devices()).anySatisfy(d -> {
            assertThat(d.path()).isEqualTo("/dev/null");
            assertThat(d.major()).isEqualTo(1);
            assertThat(d.minor()).isEqualTo(3);
        });
        assertThat(linux.devices()).noneMatch(d -> d.path().startsWith("/dev/pts/") || d.path().equals("/dev/console"));
        assertThat(linux.resources().devices()).containsExactly(new LinuxDeviceCgroup(true, null, null, null, "rwm"));
    }

    @Test
    void toJson_writesRuntimeSpecNames_andLeavesUnsetFieldsOut() {
        var json = Json.MAPPER.readTree(OciSpecs.toJson(build(options(rootfs).readonlyRootfs(true)
                .annotations(Map.of("org.example", "1")))));

        assertThat(json.get("ociVersion").asString()).isEqualTo("1.0.2");
        assertThat(json.get("root").get("path").asString()).isEqualTo(rootfs.toString());
        assertThat(json.get("root").get("readonly").asBoolean()).isTrue();
        assertThat(json.get("hostname").asString()).isEqualTo("c0ffee");
        assertThat(json.get("process").get("user").get("additionalGids").get(0).asInt()).isZero();
        assertThat(json.get("process").get("capabilities").has("inheritable")).isFalse();
        assertThat(json.get("process").has("consoleSize")).isFalse();
        assertThat(json.get("process").get("rlimits").get(0).get("type").asString()).isEqualTo("RLIMIT_NOFILE");
        assertThat(json.get("linux").get("seccomp").get("defaultErrnoRet").asInt()).isEqualTo(1);
        assertThat(json.get("linux").get("resources").get("devices").get(0).has("major")).isFalse();
        assertThat(json.get("linux").get("namespaces").get(0).has("path")).isFalse();
        assertThat(json.get("annotations").get("org.example").asString()).isEqualTo("1");
        assertThat(new String(OciSpecs.toJson(build(options(rootfs))))).doesNotContain("null");
    }
}
