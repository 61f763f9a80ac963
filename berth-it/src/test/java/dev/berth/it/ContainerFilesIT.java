package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's files through the real Docker CLI: cp both ways (running and stopped), diff, export, commit; and cp
 * against hostile symlinks in the container (the CVE-2018-15664 class), which must never reach the host.
 */
class ContainerFilesIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static void runDetached(String name, String script) throws Exception {
        ok(daemon.docker("run", "-d", "--name", name, "busybox", "sh", "-c", script + "\nexec sleep 300"));
        // The script has run once the marker it ends with exists.
        await("container " + name + " ready").atMost(Duration.ofSeconds(10))
                .until(() -> daemon.docker("cp", name + ":/ready", "-").exit() == 0);
    }

    @Test
    void cp_bothWays_runningAndStopped(@TempDir Path tmp) throws Exception {
        runDetached("cp1", "mkdir -p /data/sub && echo one > /data/sub/f && echo top > /data/t && touch /ready");
        ok(daemon.docker("cp", "cp1:/data", tmp.resolve("data").toString()));
        assertThat(Files.readString(tmp.resolve("data/sub/f"))).isEqualTo("one\n");
        ok(daemon.docker("cp", "cp1:/data/.", tmp.resolve("contents").toString()));
        assertThat(Files.readString(tmp.resolve("contents/t"))).isEqualTo("top\n");
        ok(daemon.docker("cp", "cp1:/", tmp.resolve("root").toString()));
        assertThat(Files.readString(tmp.resolve("root/data/t"))).isEqualTo("top\n");
        assertThat(tmp.resolve("root/bin/sh")).exists();
        var missing = daemon.docker("cp", "cp1:/nope", tmp.toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("Could not find the file /nope in container cp1");

        Files.writeString(tmp.resolve("in.txt"), "from host\n");
        ok(daemon.docker("cp", tmp.resolve("in.txt").toString(), "cp1:/data/in.txt"));
        assertThat(ok(daemon.docker("cp", "cp1:/data/in.txt", "-")).out()).contains("from host\n");

        ok(daemon.docker("stop", "-t", "0", "cp1"));
        Files.writeString(tmp.resolve("later.txt"), "while stopped\n");
        ok(daemon.docker("cp", tmp.resolve("later.txt").toString(), "cp1:/data/"));
        assertThat(ok(daemon.docker("cp", "cp1:/data/later.txt", "-")).out()).contains("while stopped\n");
        ok(daemon.docker("start", "cp1"));
        assertThat(ok(daemon.docker("cp", "cp1:/data/later.txt", "-")).out()).contains("while stopped\n");
        ok(daemon.docker("rm", "-f", "cp1"));
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(daemon.execRoot() + "/rootfs-ops");
    }

    @Test
    void cp_throughSymlinksToRoot_readsAndWritesTheContainerNeverTheHost(@TempDir Path tmp) throws Exception {
        String unique = "berth-cp-" + UUID.randomUUID();
        Path hostFile = Path.of("/tmp", unique);
        Files.writeString(hostFile, "HOST SECRET\n");
        try {
            runDetached("esc", "ln -s / /escape && ln -s ../../../../../.. /up && echo container > /etc/marker && touch /ready");

            // Reading: the links lead to the container's root, not the host's.
            assertThat(ok(daemon.docker("cp", "esc:/escape/etc/marker", "-")).out()).contains("container\n");
            String passwd = ok(daemon.docker("cp", "esc:/up/etc/passwd", "-")).out();
            assertThat(passwd).contains("root:x:0:0:root:/root:/bin/sh");
            assertThat(passwd).isEqualTo(ok(daemon.docker("cp", "esc:/etc/passwd", "-")).out());
            // A trailing slash follows every link: the container's /etc, copied as "viaLink".
            ok(daemon.docker("cp", "esc:/up/etc/", tmp.resolve("viaLink").toString()));
            assertThat(tmp.resolve("viaLink/marker")).hasContent("container\n");
            for (String path : new String[] {"/escape" + hostFile, "/up" + hostFile, hostFile.toString()}) {
                var r = daemon.docker("cp", "esc:" + path, "-");
                assertThat(r.exit()).as(path).isNotZero();
                assertThat(r.out()).doesNotContain("HOST SECRET");
            }

            // Writing: through the link the file lands in the container's /tmp.
            Files.writeString(tmp.resolve("put.txt"), "put\n");
            String name = unique + "-put";
            ok(daemon.docker("cp", tmp.resolve("put.txt").toString(), "esc:/escape/tmp/" + name));
            assertThat(Path.of("/tmp", name)).doesNotExist();
            assertThat(ok(daemon.docker("cp", "esc:/tmp/" + name, "-")).out()).contains("put\n");
            ok(daemon.docker("cp", tmp.resolve("put.txt").toString(), "esc:/up/tmp/" + name + "-2"));
            assertThat(Path.of("/tmp", name + "-2")).doesNotExist();
        } finally {
            Files.deleteIfExists(hostFile);
            daemon.docker("rm", "-f", "esc");
        }
    }

    @Test
    void cp_whileTheContainerSwapsALinkToRoot_neverReadsTheHost() throws Exception {
        String unique = "berth-race-" + UUID.randomUUID();
        Path hostFile = Path.of("/tmp", unique);
        Files.writeString(hostFile, "HOST SECRET\n");
        try {
            runDetached("race", "mkdir -p /d/tmp && echo inside > /d/tmp/" + unique + " && touch /ready"
                    + "\nwhile true; do ln -sfn /d /swap; ln -sfn / /swap; done &");
            int inside = 0;
            for (int i = 0; i < 40; i++) {
                var r = daemon.docker("cp", "race:/swap/tmp/" + unique, "-");
                assertThat(r.out()).as("attempt " + i).doesNotContain("HOST SECRET");
                if (r.out().contains("inside")) inside++;
            }
            assertThat(inside).as("some copies went through the link while it pointed to /d").isPositive();
            // Writing through the swapping link lands in /d/tmp or the container's /tmp, never the host's.
            Path local = Files.createTempFile("berth-race", ".txt");
            Files.writeString(local, "written\n");
            try {
                for (int i = 0; i < 20; i++) {
                    daemon.docker("cp", local.toString(), "race:/swap/tmp/" + unique + "-w" + i);
                    assertThat(Path.of("/tmp", unique + "-w" + i)).doesNotExist();
                }
            } finally {
                Files.deleteIfExists(local);
            }
        } finally {
            Files.deleteIfExists(hostFile);
            daemon.docker("rm", "-f", "race");
        }
    }

    @Test
    void put_refusesEntriesThatClimbOut_andKeepsAbsoluteLinksInside() throws Exception {
        String unique = "berth-put-" + UUID.randomUUID();
        runDetached("put", "touch /ready");
        try {
            var dotdot = put("put", "/tmp", tar(t -> file(t, "../../../../tmp/" + unique, "evil")));
            assertThat(dotdot).startsWith("HTTP/1.1 400").contains("..");
            assertThat(Path.of("/tmp", unique)).doesNotExist();

            var relLink = put("put", "/tmp", tar(t -> link(t, "out", "../../../../..")));
            assertThat(relLink).startsWith("HTTP/1.1 400").contains("outside");

            var hardLink = put("put", "/tmp", tar(t -> {
                var e = new TarArchiveEntry("h", TarConstants.LF_LINK);
                e.setLinkName("../../etc/passwd");
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
            }));
            assertThat(hardLink).startsWith("HTTP/1.1 400");

            // An absolute link is the container's business: what is written through it stays in the container.
            var abs = put("put", "/tmp", tar(t -> {
                link(t, "root", "/");
                file(t, "root/tmp/" + unique, "through an absolute link");
            }));
            assertThat(abs).startsWith("HTTP/1.1 200");
            assertThat(Path.of("/tmp", unique)).doesNotExist();
            assertThat(ok(daemon.docker("cp", "put:/tmp/" + unique, "-")).out()).contains("through an absolute link");

            assertThat(put("put", "/nonexistent", tar(t -> file(t, "x", "x")))).startsWith("HTTP/1.1 404");
            assertThat(put("put", "/etc/passwd", tar(t -> file(t, "x", "x")))).startsWith("HTTP/1.1 400");
        } finally {
            daemon.docker("rm", "-f", "put");
        }
    }

    @Test
    void headStat_reportsDockersPathStat() throws Exception {
        runDetached("stat", "ln -s /etc/passwd /pw && touch /ready");
        try {
            String head = daemon.request("HEAD", "/v1.50/containers/stat/archive?path=/pw", null);
            assertThat(head).startsWith("HTTP/1.1 200");
            String header = head.lines().filter(l -> l.toLowerCase().startsWith("x-docker-container-path-stat:"))
                    .findFirst().orElseThrow();
            String json = new String(java.util.Base64.getDecoder().decode(header.substring(header.indexOf(':') + 1).strip()),
                    StandardCharsets.UTF_8);
            assertThat(json).contains("\"name\":\"pw\"").contains("\"linkTarget\":\"/etc/passwd\"")
                    .contains("\"mode\":" + ((1L << 27) | 0777));
            assertThat(daemon.request("HEAD", "/v1.50/containers/stat/archive?path=/missing", null)).startsWith("HTTP/1.1 404");
        } finally {
            daemon.docker("rm", "-f", "stat");
        }
    }

    @Test
    void diff_export_andCommit() throws Exception {
        runDetached("chg", "echo added > /tmp/new && rm /bin/ls && echo more >> /etc/group && touch /ready");
        try {
            var diff = ok(daemon.docker("diff", "chg")).out();
            assertThat(diff).isEqualTo("C /bin\nD /bin/ls\nC /etc\nC /etc/group\nA /ready\nC /tmp\nA /tmp/new\n");

            var export = ok(daemon.docker("export", "chg")).out();
            assertThat(export).contains("tmp/new").contains("bin/sh").contains("added\n");

            long since = System.currentTimeMillis() / 1000;
            var commit = ok(daemon.docker("commit", "-m", "my change", "-a", "someone", "-c", "CMD [\"cat\", \"/tmp/new\"]",
                    "-c", "ENV FROM_COMMIT=yes", "chg", "committed:1"));
            assertThat(commit.out().strip()).matches("sha256:[0-9a-f]{64}");
            assertThat(ok(daemon.docker("run", "--rm", "committed:1")).out()).isEqualTo("added\n");
            var inside = ok(daemon.docker("run", "--rm", "committed:1", "sh", "-c", "echo $FROM_COMMIT; ls /bin/ls || true; tail -1 /etc/group"));
            assertThat(inside.out()).isEqualTo("yes\nmore\n");
            assertThat(ok(daemon.docker("history", "--format", "{{.Comment}}", "committed:1")).out()).startsWith("my change\n");
            assertThat(ok(daemon.docker("image", "inspect", "-f", "{{.Author}} {{len .RootFS.Layers}}", "committed:1")).out())
                    .isEqualTo("someone 2\n");
            // The container's image is the new one's parent: in inspect, in the ids history shows, and it cannot go.
            String busybox = ok(daemon.docker("image", "inspect", "-f", "{{.Id}}", "busybox")).out().strip();
            assertThat(ok(daemon.docker("image", "inspect", "-f", "{{.Parent}}", "committed:1")).out()).isEqualTo(busybox + "\n");
            assertThat(ok(daemon.docker("history", "--no-trunc", "--format", "{{.ID}}", "committed:1")).out())
                    .startsWith(commit.out().strip() + "\n" + busybox + "\n");
            var rmi = daemon.docker("rmi", "-f", busybox);
            assertThat(rmi.exit()).isNotZero();
            assertThat(rmi.err()).contains("conflict: unable to delete " + busybox.substring(7, 19)
                    + " (cannot be forced) - image has dependent child images");
            // The container kept running through its pause.
            assertThat(ok(daemon.docker("inspect", "-f", "{{.State.Status}}", "chg")).out()).isEqualTo("running\n");
            var events = ok(daemon.docker("events", "--since", Long.toString(since), "--until",
                    Long.toString(System.currentTimeMillis() / 1000 + 1), "--filter", "container=chg",
                    "--format", "{{.Action}} {{.Actor.Attributes.imageRef}}"));
            assertThat(events.out()).endsWith("pause <no value>\nunpause <no value>\ncommit committed:1\n"); // since is in whole seconds
        } finally {
            daemon.docker("rm", "-f", "chg");
        }
    }

    @Test
    void commitOfAContainerThatChangedNothing_addsNoLayer() throws Exception {
        ok(daemon.docker("run", "--name", "nochange", "busybox", "true"));
        try {
            assertThat(ok(daemon.docker("diff", "nochange")).out()).isEmpty();
            ok(daemon.docker("commit", "nochange", "nochange:1"));
            assertThat(ok(daemon.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", "nochange:1")).out())
                    .isEqualTo(ok(daemon.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", "busybox")).out());
        } finally {
            daemon.docker("rm", "-f", "nochange");
        }
    }

    /**
     * A file capability ({@code setcap cap_setuid,cap_net_raw+ep} on a static busybox) through every tar path: cp in
     * and out, export, commit, a run of the committed image as a non-root user (the kernel grants the capability
     * when the file is executed), save and load back.
     */
    @Test
    void aFileCapability_survivesCpExportCommitSaveAndLoad(@TempDir Path tmp) throws Exception {
        Path capbox = Files.createDirectories(tmp.resolve("in")).resolve("busybox");
        Files.copy(Path.of("/usr/bin/busybox"), capbox);
        run("setcap", "cap_setuid,cap_net_raw+ep", capbox.toString());
        String caps = "cap_setuid,cap_net_raw=ep";
        String capEff = "CapEff:\t0000000000002080\n";
        runDetached("caps", "mkdir /opt && touch /ready");
        try {
            ok(daemon.docker("cp", capbox.toString(), "caps:/opt/busybox"));
            ok(daemon.docker("cp", "caps:/opt/busybox", tmp.resolve("out").toString()));
            assertThat(run("getcap", tmp.resolve("out").toString())).contains(caps);

            Path export = tmp.resolve("export.tar");
            ok(daemon.docker("export", "-o", export.toString(), "caps"));
            assertThat(paxCapability(export, "opt/busybox")).isEqualTo("0100000280200000000000000000000000000000");

            ok(daemon.docker("commit", "caps", "capped:1"));
            var inside = ok(daemon.docker("run", "--rm", "--user", "1000:1000", "capped:1",
                    "/opt/busybox", "grep", "CapEff", "/proc/self/status"));
            assertThat(inside.out()).isEqualTo(capEff);
            // Without the capability the same grep as that user shows none.
            assertThat(ok(daemon.docker("run", "--rm", "--user", "1000:1000", "capped:1", "grep", "CapEff",
                    "/proc/self/status")).out()).isEqualTo("CapEff:\t0000000000000000\n");

            Path saved = tmp.resolve("capped.tar");
            ok(daemon.docker("save", "-o", saved.toString(), "capped:1"));
            ok(daemon.docker("rmi", "capped:1"));
            ok(daemon.docker("load", "-i", saved.toString()));
            var loaded = ok(daemon.docker("run", "--rm", "--user", "1000:1000", "capped:1",
                    "/opt/busybox", "grep", "CapEff", "/proc/self/status"));
            assertThat(loaded.out()).isEqualTo(inside.out());
        } finally {
            daemon.docker("rm", "-f", "caps");
            daemon.docker("rmi", "capped:1");
        }
    }

    /** The {@code SCHILY.xattr.security.capability} PAX record of {@code member}, hex, as Python's tarfile reads it. */
    private static String paxCapability(Path tar, String member) throws Exception {
        return run("python3", "-c", """
                import sys, tarfile
                m = tarfile.open(sys.argv[1]).getmember(sys.argv[2])
                print(m.pax_headers["SCHILY.xattr.security.capability"].encode("utf-8", "surrogateescape").hex())
                """, tar.toString(), member).strip();
    }

    private static String run(String... command) throws Exception {
        return ok(Cli.run(java.util.List.of(command), java.util.Map.of(), null)).out();
    }

    // ---- raw API ---------------------------------------------------------------------------------------------

    interface TarBody {
        void write(TarArchiveOutputStream t) throws Exception;
    }

    private static byte[] tar(TarBody body) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var t = new TarArchiveOutputStream(bytes)) {
            body.write(t);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream t, String name, String content) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        var e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream t, String name, String target) throws Exception {
        var e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    /** PUT /containers/{name}/archive?path= with a tar body; the whole response as text. */
    private static String put(String container, String path, byte[] tar) throws Exception {
        return daemon.request("PUT", "/v1.50/containers/" + container + "/archive?path=" + path, "application/x-tar", tar);
    }
}
