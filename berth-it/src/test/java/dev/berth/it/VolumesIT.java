package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Volumes and mounts (issue #6) as users see them through berth and the unmodified Docker CLI. */
class VolumesIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void namedVolume_keepsData_acrossContainers_andIsInUseUntilTheyAreGone() throws Exception {
        var create = daemon.berth("volume", "create", "--label", "team=db", "pgdata");
        assertThat(create.exit()).as(create.toString()).isZero();
        assertThat(create.out()).isEqualTo("pgdata\n");
        assertThat(daemon.berth("volume", "inspect", "-f", "{{.Driver}} {{.Scope}} {{.Mountpoint}} {{.Labels}}", "pgdata").out())
                .isEqualTo("local local " + daemon.dataRoot().resolve("volumes/pgdata/_data") + " map[team:db]\n");

        var w = daemon.berth("run", "--name", "writer", "-v", "pgdata:/data", "busybox", "sh", "-c", "echo kept > /data/f");
        assertThat(w.exit()).as(w.toString()).isZero();
        assertThat(daemon.berth("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}", "writer").out())
                .isEqualTo("volume pgdata /data true\n");
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.Binds}}", "writer").out()).isEqualTo("[pgdata:/data]\n");
        var inUse = daemon.berth("volume", "rm", "pgdata");
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("volume is in use");
        assertThat(daemon.berth("rm", "writer").exit()).isZero();

        var r = daemon.berth("run", "--rm", "-v", "pgdata:/data:ro", "busybox", "sh", "-c", "cat /data/f; touch /data/g || echo refused");
        assertThat(r.out()).isEqualTo("kept\nrefused\n");
        assertThat(r.err()).contains("Read-only file system");

        assertThat(daemon.berth("volume", "ls", "-q", "--filter", "label=team=db").out()).isEqualTo("pgdata\n");
        assertThat(daemon.berth("volume", "rm", "pgdata").exit()).isZero();
        assertThat(Files.exists(daemon.dataRoot().resolve("volumes/pgdata"))).isFalse();
    }

    @Test
    void sizesAndVolumeCounts_inPsAndSystemDf() throws Exception {
        var run = daemon.docker("run", "--name", "sized", "-v", "sizedvol:/data", "busybox", "sh", "-c", "echo x > /data/f; echo y > /f");
        assertThat(run.exit()).as(run.toString()).isZero();
        // ps -s shows the writable layer and, in brackets, the whole filesystem (layer plus image) as Docker's does.
        assertThat(daemon.docker("ps", "-a", "-s", "--filter", "name=sized", "--format", "{{.Size}}").out())
                .matches("\\d+(\\.\\d+)?k?B \\(virtual \\d+(\\.\\d+)?[kM]B\\)\n");
        // system df -v counts the container's local volume.
        assertThat(daemon.docker("system", "df", "-v").out()).containsPattern("(?m)^[0-9a-f]{12} +busybox +\"[^\"]*\" +1 +.* sized$");
        assertThat(daemon.request("GET", "/system/df", null)).contains("\"Mounts\":[{").contains("\"Name\":\"sizedvol\"");
        assertThat(daemon.docker("rm", "-v", "sized").exit()).isZero();
        assertThat(daemon.docker("volume", "rm", "sizedvol").exit()).isZero();
    }

    @Test
    void newVolume_isFilledFromTheImage_unlessNocopy() throws Exception {
        var r = daemon.berth("run", "--rm", "-v", "etccopy:/etc", "busybox", "cat", "/etc/group");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("root:x:0:");
        assertThat(daemon.dataRoot().resolve("volumes/etccopy/_data/group")).exists();

        var nc = daemon.berth("run", "--rm", "--mount", "type=volume,src=etcempty,dst=/etc,volume-nocopy", "busybox", "ls", "/etc");
        assertThat(nc.exit()).as(nc.toString()).isZero();
        // Only the files the engine mounts over the empty volume, as Docker does: nothing of the image's /etc.
        assertThat(nc.out()).isEqualTo("hostname\nhosts\nresolv.conf\n");
        daemon.berth("volume", "rm", "etccopy", "etcempty");
    }

    @Test
    void anonymousVolumes_goWithRmV_andPrune() throws Exception {
        assertThat(daemon.berth("create", "--name", "anon-a", "-v", "/scratch", "busybox", "true").exit()).isZero();
        String name = daemon.berth("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "anon-a").out().strip();
        assertThat(name).matches("[0-9a-f]{64}");
        assertThat(daemon.berth("rm", "-v", "anon-a").exit()).isZero();
        assertThat(daemon.berth("volume", "ls", "-q").out()).doesNotContain(name);

        daemon.berth("create", "--name", "anon-b", "-v", "/scratch", "busybox", "true");
        String kept = daemon.berth("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "anon-b").out().strip();
        daemon.berth("rm", "anon-b");
        assertThat(daemon.berth("volume", "ls", "-q", "--filter", "dangling=true").out()).contains(kept);
        daemon.berth("volume", "create", "named-stays");
        var prune = daemon.berth("volume", "prune", "-f");
        assertThat(prune.out()).contains(kept).doesNotContain("named-stays");
        assertThat(daemon.berth("volume", "ls", "-q").out()).contains("named-stays");
        daemon.berth("volume", "rm", "named-stays");
    }

    @Test
    void bindMounts_seeTheHostLive_andMissingSourcesFollowDockersRules(@org.junit.jupiter.api.io.TempDir Path host) throws Exception {
        Files.writeString(host.resolve("a"), "one\n");
        daemon.berth("run", "-d", "--name", "binder", "-v", host + ":/h", "busybox", "sleep", "300");
        Files.writeString(host.resolve("a"), "two\n");
        assertThat(daemon.berth("exec", "binder", "cat", "/h/a").out()).isEqualTo("two\n");
        daemon.berth("rm", "-f", "binder");

        var missing = daemon.berth("run", "--rm", "--mount", "type=bind,src=" + host.resolve("nope") + ",dst=/x", "busybox", "true");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("invalid mount config for type \"bind\": bind source path does not exist: " + host.resolve("nope"));
        var created = daemon.berth("run", "--rm", "-v", host.resolve("made") + ":/x", "busybox", "true");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(host.resolve("made")).isDirectory();

        var tmpfs = daemon.berth("run", "--rm", "--mount", "type=tmpfs,dst=/t,tmpfs-size=1m", "busybox", "sh", "-c", "mount | grep ' /t '");
        assertThat(tmpfs.out()).contains("tmpfs on /t type tmpfs").contains("size=1024k");
    }

    @Test
    void volumeEvents_createMountUnmountDestroy() throws Exception {
        long since = System.currentTimeMillis() / 1000 - 1;
        assertThat(daemon.berth("run", "--rm", "-v", "evvol:/e", "busybox", "true").exit()).isZero();
        assertThat(daemon.berth("volume", "rm", "evvol").exit()).isZero();
        // Wait for this volume's own destroy: another test's volume may have been destroyed in the same window.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(daemon.docker("events", "--since",
                Long.toString(since), "--until", "0s", "--filter", "type=volume", "--format", "{{.Action}} {{.Actor.ID}}").out())
                .contains("create evvol\n", "mount evvol\n", "unmount evvol\n", "destroy evvol\n"));
    }

    @Test
    void badInput_isRefused_andCreatesNothing() throws Exception {
        var badName = daemon.berth("run", "--rm", "-v", "bad@name:/x", "busybox", "true");
        assertThat(badName.err()).contains("includes invalid characters for a local volume name");
        var dup = daemon.berth("run", "--rm", "-v", "d1:/x", "-v", "d2:/x", "busybox", "true");
        assertThat(dup.err()).contains("Duplicate mount point: /x");
        assertThat(daemon.berth("volume", "ls", "-q").out()).doesNotContain("d1").doesNotContain("bad");
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void dockerCli_volumeData_survivesKill9OfTheDaemon() throws Exception {
        var run = daemon.docker("run", "--name", "dwriter", "-v", "durable:/d", "busybox", "sh", "-c", "echo safe > /d/x");
        assertThat(run.exit()).as(run.toString()).isZero();
        daemon.kill9();
        daemon.start();
        assertThat(daemon.docker("volume", "ls", "-q").out()).contains("durable");
        var inUse = daemon.docker("volume", "rm", "durable");
        assertThat(inUse.err()).contains("volume is in use");
        assertThat(daemon.docker("rm", "dwriter").exit()).isZero();
        assertThat(daemon.docker("run", "--rm", "-v", "durable:/d", "busybox", "cat", "/d/x").out()).isEqualTo("safe\n");
        String df = daemon.request("GET", "/system/df", null);
        assertThat(df).contains("\"Name\":\"durable\"").contains("\"RefCount\":0");
        assertThat(daemon.docker("system", "df").out()).containsPattern("Local Volumes +\\d+ +0 ");
        assertThat(daemon.docker("volume", "rm", "durable").exit()).isZero();
    }
    /**
     * A create writes the container's layer, mounts and ports first and its record last. A kill -9 just before the
     * record leaves exactly that; here the record of a real create is taken away while the daemon is down.
     */
    @Test
    void aCreateCutShortByAKill9_leavesNoContainer_andNothingHeldInUse() throws Exception {
        var create = daemon.docker("create", "-v", "held:/d", "-p", "127.0.0.1::80", "busybox", "true");
        assertThat(create.exit()).as(create.toString()).isZero();
        String id = create.out().strip();
        Path root = daemon.dataRoot();
        assertThat(root.resolve("mounts/" + id + ".json")).exists();
        assertThat(root.resolve("ports/" + id)).exists();
        assertThat(root.resolve("overlay/containers/" + id)).exists();
        daemon.kill9();
        Files.delete(root.resolve("containers/" + id + "/container.json"));
        daemon.start();
        assertThat(daemon.docker("ps", "-aq", "--no-trunc").out()).doesNotContain(id);
        assertThat(root.resolve("mounts/" + id + ".json")).doesNotExist();
        assertThat(root.resolve("ports/" + id)).doesNotExist();
        assertThat(root.resolve("overlay/containers/" + id)).doesNotExist();
        assertThat(root.resolve("containers/" + id)).doesNotExist();
        var rm = daemon.docker("volume", "rm", "held");
        assertThat(rm.exit()).as(rm.toString()).isZero();
    }
}
