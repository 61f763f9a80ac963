package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images out of and back into berth with the real Docker CLI: save, load, history, image prune, system df; archives
 * checked and written by skopeo; hostile and corrupt archives refused with the store unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SaveLoadIT {
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(false);

    @TempDir
    static Path work;

    private static String ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out();
    }

    private static String id(String image) throws Exception {
        return ok(daemon.docker("image", "inspect", "-f", "{{.Id}}", image)).strip();
    }

    @Test
    @Order(1)
    void saveRemoveLoad_keepsIds_andSavingAgainGivesTheSameBytes() throws Exception {
        ok(daemon.berth("image", "import", "--change", "CMD [\"sh\"]", Busybox.tar().toString(), "busybox:latest"));
        ok(daemon.docker("tag", "busybox", "example.com/team/tool:1.0"));
        String id = id("busybox");
        long since = java.time.Instant.now().getEpochSecond();
        Path first = work.resolve("first.tar");
        ok(daemon.docker("save", "-o", first.toString(), "busybox", "example.com/team/tool:1.0"));

        ok(daemon.docker("rmi", "busybox", "example.com/team/tool:1.0"));
        assertThat(ok(daemon.docker("images", "-aq"))).isEmpty();
        assertThat(layerDirs()).isEmpty();

        var load = ok(daemon.docker("load", "-i", first.toString()));
        assertThat(load).isEqualTo("Loaded image: busybox:latest\nLoaded image: example.com/team/tool:1.0\n");
        assertThat(id("busybox")).isEqualTo(id);
        assertThat(id("example.com/team/tool:1.0")).isEqualTo(id);
        Path second = work.resolve("second.tar");
        ok(daemon.docker("save", "-o", second.toString(), "busybox", "example.com/team/tool:1.0"));
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        var events = ok(daemon.docker("events", "--since", Long.toString(since), "--until",
                Long.toString(java.time.Instant.now().getEpochSecond() + 1), "--filter", "type=image", "--format", "{{.Action}} {{.ID}}"));
        assertThat(events).contains("save " + id + "\n").contains("delete " + id + "\n").contains("load " + id + "\n");

        assertThat(ok(daemon.docker("run", "--rm", "busybox", "echo", "loaded"))).isEqualTo("loaded\n");
        var history = ok(daemon.docker("history", "--no-trunc", "--format", "{{.ID}} {{.Comment}}", "busybox"));
        assertThat(history).isEqualTo(id + " Imported from -\n");
        // The same archive through the API's single-image route.
        String head = daemon.request("GET", "/images/busybox/get", null).lines().findFirst().orElseThrow();
        assertThat(head).startsWith("HTTP/1.1 200");
        ok(daemon.docker("rmi", "example.com/team/tool:1.0"));
    }

    @Test
    @Order(2)
    void skopeo_readsWhatBerthWrites_andBerthLoadsWhatSkopeoWrites() throws Exception {
        assertThat(SKOPEO).as("skopeo (scripts/install-deps.sh installs it)").isExecutable();
        Path saved = work.resolve("for-skopeo.tar");
        ok(daemon.docker("save", "-o", saved.toString(), "busybox"));
        String diffId = ok(daemon.docker("image", "inspect", "-f", "{{index .RootFS.Layers 0}}", "busybox")).strip();
        var inspect = ok(Cli.run(List.of(SKOPEO.toString(), "inspect", "docker-archive:" + saved + ":busybox:latest"), Map.of(), null));
        assertThat(inspect).contains("\"Name\": \"docker.io/library/busybox\"").contains(diffId);
        ok(Cli.run(List.of(SKOPEO.toString(), "inspect", "oci-archive:" + saved), Map.of(), null));

        // skopeo writes a docker-archive and OCI archives with gzip and zstd layers; berth loads them all.
        Path dockerArchive = work.resolve("skopeo-docker.tar");
        Path gzip = work.resolve("skopeo-gzip.tar");
        Path zstd = work.resolve("skopeo-zstd.tar");
        String source = "docker-archive:" + saved;
        ok(Cli.run(List.of(SKOPEO.toString(), "copy", "-q", source, "docker-archive:" + dockerArchive + ":skopeo/docker:1"), Map.of(), null));
        ok(Cli.run(List.of(SKOPEO.toString(), "copy", "-q", "--dest-compress", "--dest-compress-format", "gzip", source,
                "oci-archive:" + gzip + ":skopeo/gzip:1"), Map.of(), null));
        ok(Cli.run(List.of(SKOPEO.toString(), "copy", "-q", "--dest-compress", "--dest-compress-format", "zstd", source,
                "oci-archive:" + zstd + ":skopeo/zstd:1"), Map.of(), null));
        assertThat(ok(daemon.docker("load", "-i", dockerArchive.toString()))).isEqualTo("Loaded image: skopeo/docker:1\n");
        assertThat(ok(daemon.docker("load", "-i", gzip.toString()))).isEqualTo("Loaded image: skopeo/gzip:1\n");
        assertThat(ok(daemon.docker("load", "-i", zstd.toString()))).isEqualTo("Loaded image: skopeo/zstd:1\n");
        // Same layer as busybox: stored once.
        assertThat(ok(daemon.docker("image", "inspect", "-f", "{{index .RootFS.Layers 0}}", "skopeo/zstd:1")).strip()).isEqualTo(diffId);
        assertThat(layerDirs()).hasSize(1);
        assertThat(ok(daemon.docker("run", "--rm", "skopeo/zstd:1", "echo", "from skopeo"))).isEqualTo("from skopeo\n");
        ok(daemon.docker("rmi", "skopeo/docker:1", "skopeo/gzip:1", "skopeo/zstd:1"));
    }

    @Test
    @Order(3)
    void corruptTruncatedAndHostileArchives_areRefused_andTheStoreIsUnchanged() throws Exception {
        Path good = work.resolve("good.tar");
        ok(daemon.docker("save", "-o", good.toString(), "busybox"));
        byte[] bytes = Files.readAllBytes(good);
        List<String> before = storeFiles();
        String images = ok(daemon.docker("images", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"));

        byte[] tampered = bytes.clone();
        int at = new String(tampered, StandardCharsets.ISO_8859_1).indexOf("./bin/arch");
        tampered[at + 600] ^= 0x55; // inside the first file's contents
        var cases = Map.of(
                "tampered", tampered,
                "truncated", Arrays.copyOf(bytes, bytes.length / 2),
                "zip-slip", hostileArchive(),
                "garbage", "not an archive at all".getBytes(StandardCharsets.US_ASCII));
        var expected = Map.of("tampered", "does not match", "truncated", "unexpected EOF",
                "zip-slip", "escapes the archive", "garbage", "invalid archive");
        for (var c : cases.entrySet()) {
            Path file = work.resolve(c.getKey() + ".tar");
            Files.write(file, c.getValue());
            var r = daemon.docker("load", "-i", file.toString());
            assertThat(r.exit()).as(c.getKey() + ": " + r).isEqualTo(1);
            assertThat(r.err()).as(c.getKey()).contains(expected.get(c.getKey()));
            assertThat(storeFiles()).as(c.getKey()).isEqualTo(before);
            assertThat(ok(daemon.docker("images", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"))).isEqualTo(images);
        }
        assertThat(Files.exists(daemon.dataRoot().resolve("escaped"))).isFalse();
        assertThat(Files.exists(daemon.dataRoot().resolve("image/escaped"))).isFalse();
    }

    @Test
    @Order(4)
    void pruneAndSystemDf_countSharedLayersOnce() throws Exception {
        // A second image on the same layer, then made dangling by moving its tag away.
        ok(daemon.berth("image", "import", "-m", "second", Busybox.tar().toString(), "second:1"));
        String second = id("second:1");
        ok(daemon.docker("tag", "busybox", "second:1"));
        var df = ok(daemon.docker("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}"));
        assertThat(df).startsWith("Images 2 0\nContainers 0 0\n");

        var prune = ok(daemon.docker("image", "prune", "-f"));
        assertThat(prune).contains("deleted: " + second).contains("Total reclaimed space: 0B");
        assertThat(layerDirs()).hasSize(1);

        ok(daemon.docker("create", "--name", "keeps-busybox", "busybox", "true"));
        var all = ok(daemon.docker("image", "prune", "-a", "-f"));
        assertThat(all).isEqualTo("Total reclaimed space: 0B\n");
        assertThat(ok(daemon.docker("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}")))
                .startsWith("Images 1 1\nContainers 1 0\n");
        ok(daemon.docker("rm", "keeps-busybox"));
        var last = ok(daemon.docker("image", "prune", "-a", "-f"));
        assertThat(last).contains("untagged: busybox:latest").contains("untagged: second:1");
        assertThat(layerDirs()).isEmpty();
    }

    @Test
    @Order(5)
    void saveOfACommitWithItsParent_namesTheParent_andLoadRestoresIt() throws Exception {
        ok(daemon.berth("image", "import", "--change", "CMD [\"sh\"]", Busybox.tar().toString(), "busybox:latest"));
        String base = id("busybox");
        ok(daemon.docker("create", "--name", "to-commit", "busybox", "sh"));
        Files.writeString(work.resolve("added"), "added\n");
        ok(daemon.docker("cp", work.resolve("added").toString(), "to-commit:/added"));
        ok(daemon.docker("commit", "to-commit", "child:1"));
        ok(daemon.docker("rm", "to-commit"));
        String child = id("child:1");
        Path both = work.resolve("both.tar");
        ok(daemon.docker("save", "-o", both.toString(), "child:1", "busybox"));
        Path alone = work.resolve("alone.tar");
        ok(daemon.docker("save", "-o", alone.toString(), "child:1"));
        assertThat(manifestParents(both)).isEqualTo("['" + base + "', None]\n"); // child:1 first, as asked
        assertThat(manifestParents(alone)).isEqualTo("[None]\n");

        ok(daemon.docker("rmi", "child:1", "busybox"));
        assertThat(layerDirs()).isEmpty();
        ok(daemon.docker("load", "-i", both.toString()));
        assertThat(ok(daemon.docker("image", "inspect", "-f", "{{.Parent}}", child))).isEqualTo(base + "\n");
        assertThat(ok(daemon.docker("image", "inspect", "-f", "{{.Parent}}", base))).isEqualTo("\n");
        ok(daemon.docker("rmi", "child:1", "busybox"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static List<Path> layerDirs() throws Exception {
        try (var dirs = Files.list(daemon.dataRoot().resolve("overlay/layers"))) {
            return dirs.toList();
        }
    }

    /** The "Parent" of each manifest.json entry, in order, as Python prints the list ({@code None} for none). */
    private static String manifestParents(Path archive) throws Exception {
        return ok(Cli.run(List.of("python3", "-c", """
                import json, sys, tarfile
                print([e.get("Parent") for e in json.load(tarfile.open(sys.argv[1]).extractfile("manifest.json"))])
                """, archive.toString()), Map.of(), null));
    }

    /** Every path under the image and layer stores. */
    private static List<String> storeFiles() throws Exception {
        var out = new java.util.ArrayList<String>();
        for (String sub : new String[] {"image", "overlay/layers"}) {
            Path root = daemon.dataRoot().resolve(sub);
            try (Stream<Path> files = Files.walk(root)) {
                files.map(p -> sub + "/" + root.relativize(p)).forEach(out::add);
            }
        }
        return out.stream().sorted().toList();
    }

    /** A docker-archive with an entry that climbs out of the target directory. */
    private static byte[] hostileArchive() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
            for (var e : Map.of("../../escaped", "boom", "manifest.json", "[]").entrySet()) {
                byte[] content = e.getValue().getBytes(StandardCharsets.US_ASCII);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
