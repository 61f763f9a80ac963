package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The berth CLI's own side of files, images and live containers: cp, diff, export, commit, history, save, load, exec. */
class BerthCliFilesIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        var run = daemon.berth("run", "-d", "--name", "box", "busybox", "sh", "-c",
                "echo hi > /greeting; mkdir -p /d/sub; echo x > /d/sub/f; rm /bin/vi; exec sleep 300");
        if (run.exit() != 0) throw new IllegalStateException(run.toString());
        await("box ready").atMost(Duration.ofSeconds(10)).until(() -> daemon.berth("exec", "box", "test", "-f", "/d/sub/f").exit() == 0);
    }

    @Test
    void cp_bothWays_withDockersPathRules() throws Exception {
        assertThat(daemon.berth("cp", "box:/greeting", tmp + "/").exit()).isZero();
        assertThat(tmp.resolve("greeting")).hasContent("hi");
        // A directory to a path that does not exist yet becomes that directory.
        assertThat(daemon.berth("cp", "box:/d", tmp.resolve("copy").toString()).exit()).isZero();
        assertThat(tmp.resolve("copy/sub/f")).hasContent("x");
        // "/." copies the contents into an existing directory.
        Files.createDirectory(tmp.resolve("into"));
        assertThat(daemon.berth("cp", "box:/d/.", tmp.resolve("into").toString()).exit()).isZero();
        assertThat(tmp.resolve("into/sub/f")).hasContent("x");

        Files.writeString(tmp.resolve("local.txt"), "from the host");
        assertThat(daemon.berth("cp", tmp.resolve("local.txt").toString(), "box:/tmp/renamed.txt").exit()).isZero();
        assertThat(daemon.berth("exec", "box", "cat", "/tmp/renamed.txt").out()).isEqualTo("from the host");

        var missing = daemon.berth("cp", "box:/no/such/file", tmp.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("Could not find the file /no/such/file");
        var twoLocal = daemon.berth("cp", tmp.toString(), tmp.toString());
        assertThat(twoLocal.exit()).isEqualTo(125);
        assertThat(twoLocal.err()).contains("must specify at least one container source");
    }

    @Test
    void diffAndExport() throws Exception {
        var diff = daemon.berth("diff", "box").out();
        assertThat(diff).contains("A /greeting\n").contains("D /bin/vi\n").contains("A /d/sub/f\n");
        Path tar = tmp.resolve("box.tar");
        assertThat(daemon.berth("export", "-o", tar.toString(), "box").exit()).isZero();
        assertThat(Files.getPosixFilePermissions(tar)).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OTHERS_READ);
        var list = Cli.run(java.util.List.of("tar", "tf", tar.toString()), java.util.Map.of(), null);
        assertThat(list.out().lines()).contains("greeting", "bin/sh").doesNotContain("bin/vi");
    }

    @Test
    void commit_history_save_load_roundTrip() throws Exception {
        var commit = daemon.berth("commit", "-m", "snapshot", "-c", "CMD [\"cat\", \"/greeting\"]", "box", "snap:1");
        assertThat(commit.exit()).as(commit.toString()).isZero();
        String id = commit.out().strip();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(daemon.berth("run", "--rm", "snap:1").out()).isEqualTo("hi\n");
        var history = daemon.berth("history", "snap:1").out();
        // The step below the commit's is its parent's, the container's image: named by its id, as dockerd does.
        String parent = daemon.berth("image", "inspect", "-f", "{{.Id}}", "busybox").out().strip();
        assertThat(history).startsWith("IMAGE").contains("snapshot")
                .containsPattern("\n" + id.substring(7, 19) + " .*\n" + parent.substring(7, 19) + " ");

        Path archive = tmp.resolve("snap.tar");
        assertThat(daemon.berth("save", "-o", archive.toString(), "snap:1").exit()).isZero();
        assertThat(daemon.berth("rmi", "snap:1").exit()).isZero();
        var load = daemon.berth("load", "-i", archive.toString());
        assertThat(load.out()).as(load.toString()).isEqualTo("Loaded image: snap:1\n");
        assertThat(daemon.berth("image", "inspect", "-f", "{{.Id}}", "snap:1").out().strip()).isEqualTo(id);
        assertThat(daemon.berth("run", "--rm", "snap:1").out()).isEqualTo("hi\n");
    }

    @Test
    void exec_top_pause_andEvents() throws Exception {
        assertThat(daemon.berth("exec", "box", "sh", "-c", "exit 4").exit()).isEqualTo(4);
        assertThat(daemon.berthWithInput("piped\n", "exec", "-i", "box", "cat").out()).isEqualTo("piped\n");
        assertThat(daemon.berth("top", "box").out()).startsWith("UID").contains("sleep 300");
        assertThat(daemon.berth("pause", "box").out()).isEqualTo("box\n");
        assertThat(daemon.berth("ps", "--format", "{{.Names}} {{.Status}}").out()).contains("(Paused)");
        assertThat(daemon.berth("unpause", "box").exit()).isZero();
        var stats = daemon.berth("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "box");
        assertThat(stats.out()).as(stats.toString()).matches("box \\d+\\n");
        var events = daemon.berth("events", "--since", "5m", "--until", "0s", "--filter", "container=box",
                "--filter", "event=pause", "--format", "{{.Action}} {{.Actor.Attributes.name}}");
        assertThat(events.out()).contains("pause box\n");
    }
}
