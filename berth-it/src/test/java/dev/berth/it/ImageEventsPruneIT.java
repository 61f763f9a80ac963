package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Through the real Docker CLI: rmi's events (one delete per image, whatever its layers), prune's {@code until} as a
 * Go duration, and the host facts and runtime version the daemon reports.
 */
class ImageEventsPruneIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    private static String ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out();
    }

    @Test
    void rmiOfATwoLayerImage_publishesUntagAndOneDelete() throws Exception {
        ok(daemon.docker("run", "--name", "layer2", "busybox", "sh", "-c", "echo two > /two"));
        ok(daemon.docker("commit", "-c", "LABEL team=berth", "layer2", "twolayers:1"));
        ok(daemon.docker("rm", "layer2"));
        String id = ok(daemon.docker("image", "inspect", "-f", "{{.Id}}", "twolayers:1")).strip();
        assertThat(ok(daemon.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", "twolayers:1")).strip()).isEqualTo("2");

        long since = Instant.now().getEpochSecond();
        var rmi = ok(daemon.docker("rmi", "twolayers:1"));
        // The response lists the image and its own layer (busybox's stays); the events name only the image.
        assertThat(rmi).startsWith("Untagged: twolayers:1\nDeleted: " + id + "\nDeleted: sha256:");
        var events = ok(daemon.docker("events", "--since", Long.toString(since), "--until",
                Long.toString(Instant.now().getEpochSecond() + 1), "--filter", "type=image",
                "--format", "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}} {{.Actor.Attributes.team}}"));
        assertThat(events).isEqualTo("untag " + id + " " + id + " berth\ndelete " + id + " " + id + " berth\n");
    }

    @Test
    void containerPrune_takesAGoDurationForUntil() throws Exception {
        String id = ok(daemon.docker("create", "--name", "fresh", "busybox", "true")).strip();
        var kept = daemon.docker("container", "prune", "-f", "--filter", "until=24h");
        assertThat(kept.exit()).as(kept.toString()).isZero();
        assertThat(kept.err()).doesNotContain("invalid timestamp");
        assertThat(ok(daemon.docker("ps", "-a", "--filter", "name=fresh", "--format", "{{.Names}}"))).isEqualTo("fresh\n");

        Thread.sleep(1100);
        var pruned = ok(daemon.docker("container", "prune", "-f", "--filter", "until=1s"));
        assertThat(pruned).startsWith("Deleted Containers:\n" + id + "\n");
        assertThat(ok(daemon.docker("ps", "-a", "--filter", "name=fresh", "--format", "{{.Names}}"))).isEmpty();
    }

    @Test
    void info_countsTheHostsOnlineCpus_andVersionListsRunc() throws Exception {
        long cpus = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        assertThat(ok(daemon.docker("info", "-f", "{{.NCPU}}")).strip()).isEqualTo(Long.toString(cpus));
        assertThat(ok(daemon.docker("version", "-f", "{{range .Server.Components}}{{.Name}} {{end}}")))
                .isEqualTo("Engine runc \n");
    }
}
