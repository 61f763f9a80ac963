package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Local images as a user manages them: import, list, inspect, tag, remove; with berth and the real Docker CLI. */
class ImagesIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void importedImage_isListed_inspected_andRunnable() throws Exception {
        var ls = daemon.berth("images");
        assertThat(ls.exit()).as(ls.toString()).isZero();
        // Column widths follow the longest value, and other tests add longer names.
        assertThat(ls.out()).containsPattern("^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\n");
        assertThat(ls.out()).containsPattern("busybox +latest +[0-9a-f]{12} ");

        String id = daemon.berth("image", "inspect", "--format", "{{.Id}}", "busybox").out().strip();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(daemon.berth("images", "-q").out()).contains(id.substring(7, 19));
        assertThat(daemon.berth("images", "-q", "--no-trunc").out()).contains(id);
        assertThat(daemon.berth("image", "inspect", "--format", "{{json .Config.Cmd}}", "busybox:latest").out())
                .isEqualTo("[\"sh\"]\n");
        // The same image by its full name, its id and an id prefix.
        for (String name : new String[] {"docker.io/library/busybox:latest", id, id.substring(7, 19)}) {
            assertThat(daemon.berth("image", "inspect", "--format", "{{.Id}}", name).out().strip()).as(name).isEqualTo(id);
        }
    }

    @Test
    void importWithChangesAndMessage_fromStdin() throws Exception {
        byte[] tar = Files.readAllBytes(Busybox.tar());
        var r = daemon.berthWithInput(tar, "import", "-c", "ENV GREETING=hi", "-c", "WORKDIR /tmp",
                "-c", "ENTRYPOINT [\"sh\", \"-c\"]", "-m", "from stdin", "-", "changed:v1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().strip()).matches("sha256:[0-9a-f]{64}");
        var run = daemon.berth("run", "--rm", "changed:v1", "echo $GREETING $(pwd)");
        assertThat(run.out()).as(run.toString()).isEqualTo("hi /tmp\n");
        daemon.berth("rmi", "changed:v1");
    }

    @Test
    void tag_untag_andDelete_likeDocker() throws Exception {
        assertThat(daemon.berth("tag", "busybox", "example.com/team/tool:1.0").exit()).isZero();
        assertThat(daemon.berth("images", "--format", "{{.Repository}}:{{.Tag}}").out())
                .contains("example.com/team/tool:1.0").contains("busybox:latest");
        assertThat(daemon.berth("images", "--filter", "reference=example.com/*/*", "--format", "{{.Repository}}").out())
                .isEqualTo("example.com/team/tool\n");

        var rmi = daemon.berth("rmi", "example.com/team/tool:1.0");
        assertThat(rmi.out()).as(rmi.toString()).isEqualTo("Untagged: example.com/team/tool:1.0\n");
        assertThat(daemon.berth("images", "busybox", "-q").out()).isNotBlank();
    }

    @Test
    void imageInUse_isKept_unlessForced() throws Exception {
        assertThat(daemon.berth("tag", "busybox", "inuse:1").exit()).isZero();
        String id = daemon.berth("image", "inspect", "--format", "{{.Id}}", "inuse:1").out().strip();
        assertThat(daemon.berth("create", "--name", "user-of-image", "inuse:1", "true").exit()).isZero();
        // Another name remains (busybox), so removing by name only untags, even while a container uses it.
        var untag = daemon.berth("rmi", "inuse:1");
        assertThat(untag.out()).as(untag.toString()).isEqualTo("Untagged: inuse:1\n");
        var byId = daemon.berth("rmi", id);
        assertThat(byId.exit()).as(byId.toString()).isEqualTo(1);
        assertThat(byId.err()).startsWith("Error response from daemon: conflict: unable to ");
        assertThat(daemon.berth("rm", "user-of-image").exit()).isZero();
    }

    @Test
    void badInput_isAClearError_andChangesNothing() throws Exception {
        String listing = "{{.ID}} {{.Repository}}:{{.Tag}} {{.Size}}";
        String before = daemon.berth("images", "-a", "--no-trunc", "--format", listing).out();
        var missing = daemon.berth("rmi", "nope:1");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("No such image: nope:1");
        var badRef = daemon.berth("tag", "busybox", "Bad/Name");
        assertThat(badRef.exit()).isNotZero();
        assertThat(badRef.err()).contains("invalid reference format");
        var notATar = daemon.berthWithInput("this is not a tar archive".getBytes(), "import", "-", "broken:1");
        assertThat(notATar.exit()).as(notATar.toString()).isNotZero();
        assertThat(daemon.berth("images", "-a", "--no-trunc", "--format", listing).out()).isEqualTo(before);
    }

    @Test
    void systemPrune_removesStoppedContainers_andDanglingImages_only() throws Exception {
        assertThat(daemon.berth("run", "--name", "pr1", "busybox", "sh", "-c", "echo a > /a").exit()).isZero();
        String dangling = daemon.berth("commit", "pr1", "pruned:1").out().strip();
        assertThat(daemon.berth("run", "--name", "pr2", "busybox", "sh", "-c", "echo b > /b").exit()).isZero();
        // Taking the tag over leaves the first commit without a name: dangling.
        String tagged = daemon.berth("commit", "pr2", "pruned:1").out().strip();
        assertThat(daemon.berth("images", "-q", "--no-trunc", "--filter", "dangling=true").out()).isEqualTo(dangling + "\n");
        String pr1 = daemon.berth("inspect", "-f", "{{.Id}}", "pr1").out().strip();
        String pr2 = daemon.berth("inspect", "-f", "{{.Id}}", "pr2").out().strip();
        assertThat(daemon.berth("run", "-d", "--name", "pr-running", "busybox", "sleep", "300").exit()).isZero();

        var prune = daemon.berth("system", "prune", "-f");
        assertThat(prune.exit()).as(prune.toString()).isZero();
        assertThat(prune.out()).startsWith("Deleted Containers:\n").contains(pr1 + "\n").contains(pr2 + "\n")
                .contains("\n\nDeleted Images:\ndeleted: " + dangling + "\n").containsPattern("\n\nTotal reclaimed space: \\S+\n$");
        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("pr-running\n");
        assertThat(daemon.berth("images", "-q", "--filter", "dangling=true").out()).isEmpty();
        assertThat(daemon.berth("images", "-q", "--no-trunc", "pruned:1").out()).isEqualTo(tagged + "\n");
        assertThat(daemon.berth("images", "busybox", "-q").out()).isNotBlank();
        assertThat(daemon.berth("rm", "-f", "pr-running").exit()).isZero();
        assertThat(daemon.berth("rmi", "pruned:1").exit()).isZero();
    }

    @Test
    void dockerCli_seesTheSameImages() throws Exception {
        var r = daemon.docker("images", "--format", "{{.Repository}}:{{.Tag}}");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("busybox:latest");
        var inspect = daemon.docker("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "busybox");
        assertThat(inspect.out()).as(inspect.toString()).isEqualTo("linux/amd64\n");
    }
}
