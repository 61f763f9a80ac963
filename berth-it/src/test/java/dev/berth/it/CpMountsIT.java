package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the real Docker CLI: docker cp at paths under a container's volumes, binds and the /etc files the engine
 * mounts (the container must see what cp writes, and cp must read what the container sees); --tmpfs next to other
 * mounts and bad --tmpfs input refused at create.
 */
class CpMountsIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @TempDir Path tmp;

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static Cli.Result refused(Cli.Result r, String message) {
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).as(r.toString()).contains(message);
        return r;
    }

    @Test
    void cp_intoAndOutOfAVolumeOrBind_isWhatTheContainerSees() throws Exception {
        Path bind = Files.createDirectories(tmp.resolve("bind"));
        Files.writeString(bind.resolve("from-host"), "host side\n");
        Files.writeString(tmp.resolve("in.txt"), "copied in\n");
        ok(daemon.docker("run", "-d", "--name", "cpvol", "-v", "cpdata:/data", "-v", bind + ":/srv/b",
                "busybox", "sleep", "300"));
        try {
            ok(daemon.docker("cp", tmp.resolve("in.txt").toString(), "cpvol:/data/"));
            assertThat(ok(daemon.docker("exec", "cpvol", "cat", "/data/in.txt")).out()).isEqualTo("copied in\n");
            ok(daemon.docker("cp", tmp.resolve("in.txt").toString(), "cpvol:/srv/b/renamed.txt"));
            assertThat(bind.resolve("renamed.txt")).hasContent("copied in");

            ok(daemon.docker("exec", "cpvol", "sh", "-c", "echo from container > /data/out.txt"));
            ok(daemon.docker("cp", "cpvol:/data/out.txt", tmp.resolve("out.txt").toString()));
            assertThat(tmp.resolve("out.txt")).hasContent("from container");
            ok(daemon.docker("cp", "cpvol:/srv/b", tmp.resolve("b-copy").toString()));
            assertThat(tmp.resolve("b-copy/from-host")).hasContent("host side");
            assertThat(tmp.resolve("b-copy/renamed.txt")).hasContent("copied in");
            ok(daemon.docker("cp", "cpvol:/data/.", tmp.resolve("data-copy").toString()));
            assertThat(tmp.resolve("data-copy/in.txt")).hasContent("copied in");

            // A directory read whole holds what is mounted below it, as the container sees it: the volume, the bind
            // and the engine's /etc files, not what lies under them in the container's layer.
            ok(daemon.docker("cp", "cpvol:/", tmp.resolve("whole").toString()));
            assertThat(tmp.resolve("whole/data/in.txt")).hasContent("copied in");
            assertThat(tmp.resolve("whole/data/out.txt")).hasContent("from container");
            assertThat(tmp.resolve("whole/srv/b/from-host")).hasContent("host side");
            assertThat(Files.readString(tmp.resolve("whole/etc/hosts")))
                    .isEqualTo(ok(daemon.docker("exec", "cpvol", "cat", "/etc/hosts")).out());
            assertThat(tmp.resolve("whole/bin/sh")).exists();
            ok(daemon.docker("cp", "cpvol:/srv", tmp.resolve("srv-copy").toString()));
            assertThat(tmp.resolve("srv-copy/b/renamed.txt")).hasContent("copied in");
            ok(daemon.docker("cp", "cpvol:/etc/.", tmp.resolve("etc-copy").toString()));
            assertThat(Files.readString(tmp.resolve("etc-copy/hostname")))
                    .isEqualTo(ok(daemon.docker("exec", "cpvol", "cat", "/etc/hostname")).out());

            // The engine's /etc files: read as the container reads them, never written underneath.
            String hostname = ok(daemon.docker("exec", "cpvol", "hostname")).out().strip();
            ok(daemon.docker("cp", "cpvol:/etc/hosts", tmp.resolve("hosts").toString()));
            assertThat(Files.readString(tmp.resolve("hosts"))).contains(hostname);
            Files.writeString(tmp.resolve("hosts"), "1.2.3.4 nowhere\n");
            refused(daemon.docker("cp", tmp.resolve("hosts").toString(), "cpvol:/etc/"), "/etc/hosts is a mount of the container");
            // A tree whose entries land on the volume from above: refused, nothing written underneath it.
            Files.createDirectories(tmp.resolve("tree/data"));
            Files.writeString(tmp.resolve("tree/data/under.txt"), "x\n");
            refused(daemon.docker("cp", tmp.resolve("tree").toString() + "/.", "cpvol:/"), "/data is a mount of the container");
            refused(daemon.docker("exec", "cpvol", "ls", "/data/under.txt"), "No such file");
        } finally {
            daemon.docker("rm", "-f", "cpvol");
        }
        // A stopped container's volume: cp reaches the volume, as another container sees.
        ok(daemon.docker("create", "--name", "cpstopped", "-v", "cpdata:/data", "busybox", "true"));
        try {
            Files.writeString(tmp.resolve("late.txt"), "while stopped\n");
            ok(daemon.docker("cp", tmp.resolve("late.txt").toString(), "cpstopped:/data/"));
            assertThat(ok(daemon.docker("run", "--rm", "-v", "cpdata:/v", "busybox", "cat", "/v/late.txt")).out())
                    .isEqualTo("while stopped\n");
        } finally {
            daemon.docker("rm", "-f", "cpstopped");
            daemon.docker("volume", "rm", "cpdata");
        }
    }

    @Test
    void cp_intoAReadOnlyVolume_isRefused() throws Exception {
        ok(daemon.docker("create", "--name", "cpro", "-v", "cpro:/data:ro", "busybox", "true"));
        try {
            Files.writeString(tmp.resolve("f"), "x\n");
            refused(daemon.docker("cp", tmp.resolve("f").toString(), "cpro:/data/"), "mounted volume is marked read-only");
        } finally {
            daemon.docker("rm", "-f", "cpro");
            daemon.docker("volume", "rm", "cpro");
        }
    }

    @Test
    void tmpfs_atAnotherMountsDestination_orUnmountable_isRefusedAtCreate_andNothingIsCreated() throws Exception {
        String before = ok(daemon.docker("ps", "-aq")).out();
        refused(daemon.docker("run", "--rm", "-v", "tmpdup:/data", "--tmpfs", "/data", "busybox", "mount"),
                "Duplicate mount point: /data");
        refused(daemon.docker("create", "--mount", "type=bind,src=/tmp,dst=/data", "--tmpfs", "/data", "busybox"),
                "Duplicate mount point: /data");
        refused(daemon.docker("create", "--tmpfs", "data", "busybox"), "invalid mount path: 'data' mount path must be absolute");
        refused(daemon.docker("create", "--tmpfs", "/data:size=abc", "busybox"), "invalid size: 'abc'");
        assertThat(ok(daemon.docker("ps", "-aq")).out()).isEqualTo(before);
        assertThat(ok(daemon.docker("volume", "ls", "-q")).out()).doesNotContain("tmpdup");

        // An image VOLUME where --tmpfs mounts: the tmpfs alone, as in Docker.
        var r = ok(daemon.docker("run", "--rm", "-v", "/other", "--tmpfs", "/data:size=1m", "busybox", "sh", "-c",
                "grep -c ' /data ' /proc/mounts"));
        assertThat(r.out()).isEqualTo("1\n");
    }
}
