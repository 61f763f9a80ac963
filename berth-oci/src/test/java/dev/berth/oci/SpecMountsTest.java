package dev.berth.oci;

import dev.berth.oci.BindMount.Propagation;
import dev.berth.oci.spec.Spec;
import dev.berth.oci.spec.Spec.Mount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.berth.oci.TestHosts.host;
import static dev.berth.oci.TestHosts.options;
import static org.assertj.core.api.Assertions.assertThat;

class SpecMountsTest {

    @TempDir
    Path rootfs;

    private Spec build(SpecOptions.Builder b) {
        return OciSpecs.build(b.build(), host());
    }

    private static Mount mount(Spec spec, String destination) {
        return spec.mounts().stream().filter(m -> m.destination().equals(destination)).findFirst().orElseThrow();
    }

    @Test
    void build_byDefault_mountsDockersSystemFilesystems() {
        var spec = build(options(rootfs));

        assertThat(spec.mounts()).extracting(Mount::destination).containsExactly(
                "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");
        assertThat(mount(spec, "/proc")).isEqualTo(new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        assertThat(mount(spec, "/dev").options()).containsExactly("nosuid", "strictatime", "mode=755", "size=65536k");
        assertThat(mount(spec, "/dev/pts").options())
                .containsExactly("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        assertThat(mount(spec, "/sys")).isEqualTo(new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        assertThat(mount(spec, "/sys/fs/cgroup").type()).isEqualTo("cgroup");
        assertThat(mount(spec, "/sys/fs/cgroup").options()).contains("ro");
        assertThat(mount(spec, "/dev/mqueue").type()).isEqualTo("mqueue");
    }

    @Test
    void devShm_isSizedFromShmSize_defaulting64MiB() {
        assertThat(mount(build(options(rootfs)), "/dev/shm"))
                .isEqualTo(new Mount("/dev/shm", "tmpfs", "shm",
                        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=67108864")));
        assertThat(mount(build(options(rootfs).shmSize(1 << 20)), "/dev/shm").options()).last().isEqualTo("size=1048576");
    }

    @Test
    void extraMounts_areRecursivePrivateBinds_andReadOnlyIsRecursive() {
        var spec = build(options(rootfs)
                .addMount(BindMount.of(Path.of("/var/lib/berth/c/hostname"), "/etc/hostname", false))
                .addMount(BindMount.of(Path.of("/var/lib/berth/c/resolv.conf"), "/etc/resolv.conf", true)));

        assertThat(mount(spec, "/etc/hostname"))
                .isEqualTo(new Mount("/etc/hostname", "bind", "/var/lib/berth/c/hostname", List.of("rbind", "rprivate")));
        assertThat(mount(spec, "/etc/resolv.conf").options()).containsExactly("rbind", "rro", "rprivate");
        assertThat(spec.linux().rootfsPropagation()).isNull();
    }

    @Test
    void readOnlyBind_onAKernelWithoutMountSetattr_isPlainReadOnly() {
        var spec = OciSpecs.build(options(rootfs)
                .addMount(BindMount.of(Path.of("/srv/data"), "/data", true)).build(), host().withKernelRelease("5.10.0"));

        assertThat(mount(spec, "/data").options()).containsExactly("rbind", "ro", "rprivate");
    }

    @Test
    void extraMount_replacesTheDefaultAtTheSameDestination() {
        var spec = build(options(rootfs).addMount(BindMount.of(Path.of("/srv/shm"), "/dev/shm", false)));

        assertThat(spec.mounts()).filteredOn(m -> m.destination().equals("/dev/shm"))
                .singleElement().extracting(Mount::type).isEqualTo("bind");
    }

    @Test
    void extraMountOnDev_dropsEveryDefaultBelowDev() {
        var spec = build(options(rootfs).addMount(BindMount.of(Path.of("/dev"), "/dev", false)));

        assertThat(spec.mounts()).extracting(Mount::destination)
                .containsExactly("/proc", "/sys", "/sys/fs/cgroup", "/dev");
    }

    @Test
    void extraMounts_areOrderedParentsFirst() {
        var spec = build(options(rootfs)
                .addMount(BindMount.of(Path.of("/a/b"), "/data/sub", false))
                .addMount(BindMount.of(Path.of("/a"), "/data", false)));

        assertThat(spec.mounts()).extracting(Mount::destination).endsWith("/data", "/data/sub");
    }

    @Test
    void sharedBind_makesRootfsPropagationShared_slaveBindRslave() {
        var shared = build(options(rootfs).addMount(
                new BindMount(Path.of("/mnt"), "/mnt", false, Propagation.RSHARED, false)));
        var slave = build(options(rootfs).addMount(
                new BindMount(Path.of("/mnt"), "/mnt", false, Propagation.RSLAVE, true)));

        assertThat(mount(shared, "/mnt").options()).containsExactly("rbind", "rshared");
        assertThat(shared.linux().rootfsPropagation()).isEqualTo("shared");
        assertThat(mount(slave, "/mnt").options()).containsExactly("bind", "rslave");
        assertThat(slave.linux().rootfsPropagation()).isEqualTo("rslave");
    }

    @Test
    void readonlyRootfs_makesRootAndSystemMountsReadOnly_butNotDevProcOrBinds() {
        var spec = build(options(rootfs).readonlyRootfs(true)
                .addMount(BindMount.of(Path.of("/srv/data"), "/data", false)));

        assertThat(spec.root().readonly()).isTrue();
        assertThat(mount(spec, "/sys/fs/cgroup").options()).containsOnlyOnce("ro");
        assertThat(mount(spec, "/proc").options()).doesNotContain("ro");
        assertThat(mount(spec, "/dev/shm").options()).doesNotContain("ro");
        assertThat(mount(spec, "/data").options()).doesNotContain("ro");
    }

    @Test
    void build_byDefault_masksAndProtectsDockersProcAndSysPaths() {
        var linux = build(options(rootfs)).linux();

        assertThat(linux.maskedPaths()).containsExactly("/proc/asound", "/proc/acpi", "/proc/interrupts",
                "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");
        assertThat(linux.readonlyPaths())
                .containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    }

    @Test
    void maskedPaths_includeThermalThrottleDirectoriesTheHostHas() {
        var host = new HostInfo("6.18.0", "amd64", Capabilities.KNOWN, 20_000,
                List.of("/sys/devices/system/cpu/cpu0/thermal_throttle"), java.util.Set.of(), false);

        assertThat(OciSpecs.build(options(rootfs).build(), host).linux().maskedPaths())
                .endsWith("/sys/devices/virtual/powercap", "/sys/devices/system/cpu/cpu0/thermal_throttle");
    }

    @Test
    void maskedAndReadonlyPaths_canBeReplacedByTheUser() {
        var linux = build(options(rootfs).maskedPaths(List.of()).readonlyPaths(List.of("/proc/sys"))).linux();

        assertThat(linux.maskedPaths()).isEmpty();
        assertThat(linux.readonlyPaths()).containsExactly("/proc/sys");
    }

    @Test
    void privileged_hasNoMaskedOrReadonlyPaths_andWritableSysAndCgroups() {
        var spec = build(options(rootfs).privileged(true));

        assertThat(spec.linux().maskedPaths()).isNull();
        assertThat(spec.linux().readonlyPaths()).isNull();
        assertThat(mount(spec, "/sys").options()).doesNotContain("ro");
        assertThat(mount(spec, "/sys/fs/cgroup").options()).doesNotContain("ro");
    }

    @Test
    void tmpfs_getsDockersNoexecNosuidNodev_mergedWithTheUsersOptions() {
        var spec = build(options(rootfs).tmpfs(java.util.Map.of("/run", "size=1m,exec", "/dev/shm", "")).readonlyRootfs(true));

        assertThat(mount(spec, "/run")).isEqualTo(new Mount("/run", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "size=1m", "exec")));
        // A tmpfs on /dev/shm replaces Docker's own, and stays writable under --read-only.
        assertThat(mount(spec, "/dev/shm")).isEqualTo(new Mount("/dev/shm", "tmpfs", "tmpfs", List.of("noexec", "nosuid", "nodev")));
        assertThat(spec.mounts()).extracting(Mount::destination).containsOnlyOnce("/dev/shm");
    }

    @Test
    void tmpfsOptions_laterOppositeFlagsAndValuesWin() {
        assertThat(SpecMounts.tmpfsOptions("ro,rw,size=1m,size=2m,suid"))
                .containsExactly("noexec", "nodev", "rw", "size=2m", "suid");
    }
}
