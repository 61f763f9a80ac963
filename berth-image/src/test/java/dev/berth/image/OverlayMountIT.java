package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.image.ImageService.ImportOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real overlayfs mounts of imported layers: the busybox root filesystem from scripts/busybox-rootfs.sh, and a
 * two-layer stack whose whiteouts must hide what the lower layer has. Needs root, overlayfs and Debian's
 * busybox-static; fails loudly without them.
 */
class OverlayMountIT {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final String CONTAINER = "1234abcd".repeat(8);

    @TempDir
    Path dataRoot;

    private final List<Path> mounted = new ArrayList<>();

    @BeforeAll
    static void needsRoot() {
        assertThat(NativeFs.isRoot()).as("OverlayMountIT mounts overlayfs and must run as root").isTrue();
    }

    @AfterEach
    void unmountAll() throws Exception {
        for (Path p : mounted.reversed()) run("umount", p.toString());
    }

    @Test
    void busyboxImport_mountsAsARootFilesystemThatRuns() throws Exception {
        Path tar = dataRoot.resolve("busybox.tar");
        var script = run(REPO.resolve("scripts/busybox-rootfs.sh").toString(), tar.toString());
        assertThat(script.exit()).as(script.output()).isZero();

        var layers = new OverlayLayerStore(dataRoot.resolve("overlay"));
        var images = new LocalImageService(dataRoot.resolve("image"), layers);
        var config = new ImageConfig(null, null, null, null, List.of("sh"), null, null, null, null);
        Image image;
        try (InputStream in = Files.newInputStream(tar)) {
            image = images.importRootfs(in, new ImportOptions("busybox:latest", config, null));
        }
        assertThat(image.layers()).containsExactly(Digest.of(Files.readAllBytes(tar)).toString());
        assertThat(image.size()).isGreaterThan(1_000_000).isLessThan(Files.size(tar));

        var mount = layers.prepare(CONTAINER, images.resolve("busybox").chainId());
        Path merged = mount(mount);

        assertThat(merged.resolve("bin/sh")).isExecutable();
        assertThat(Files.getAttribute(merged.resolve("tmp"), "unix:mode")).isEqualTo(041777);
        var sh = run("chroot", merged.toString(), "/bin/sh", "-c", "echo hello from $(id -un) > /tmp/out; cat /tmp/out");
        assertThat(sh.output()).as(sh.toString()).isEqualTo("hello from root\n");
        assertThat(mount.upperDir().resolve("tmp/out")).exists();
        assertThat(layers.writableSize(CONTAINER)).isEqualTo("hello from root\n".length());
        assertThat(layers.diffDir(image.chainId()).resolve("tmp/out")).as("the image layer is untouched").doesNotExist();

        assertThatThrownBy(() -> layers.remove(CONTAINER))
                .isInstanceOf(EngineException.SystemFailure.class).hasMessageContaining("still mounted");
        assertThat(mount.upperDir()).exists();

        assertThat(run("umount", merged.toString()).exit()).isZero();
        mounted.remove(merged);
        layers.remove(CONTAINER);
        assertThat(mount.upperDir()).doesNotExist();
        assertThat(images.remove("busybox", false, false, id -> false)).hasSize(3);
    }

    @Test
    void whiteoutsAndOpaqueDirectories_hideTheLowerLayer() throws Exception {
        var layers = new OverlayLayerStore(dataRoot.resolve("overlay"));
        byte[] lower = new Tars()
                .dir("etc", 0755).file("etc/keep", 0644, "keep").file("etc/gone", 0644, "gone")
                .dir("opaque", 0755).file("opaque/old", 0644, "old")
                .build();
        byte[] upper = new Tars()
                .dir("etc", 0755).file("etc/.wh.gone", 0644, "")
                .dir("opaque", 0755).file("opaque/.wh..wh..opq", 0644, "").file("opaque/new", 0644, "new")
                .build();
        LayerInfo bottom = commit(layers, lower, null);
        LayerInfo top = commit(layers, upper, bottom.chainId());

        Path whiteout = layers.diffDir(top.chainId()).resolve("etc/gone");
        assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat((int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000).isEqualTo(NativeFs.S_IFCHR);
        assertThat(NativeFs.lgetxattr(layers.diffDir(top.chainId()).resolve("opaque"), "trusted.overlay.opaque"))
                .isEqualTo("y".getBytes(StandardCharsets.US_ASCII));

        Path merged = mount(layers.prepare(CONTAINER, top.chainId()));

        assertThat(merged.resolve("etc/keep")).hasContent("keep");
        assertThat(merged.resolve("etc/gone")).doesNotExist();
        assertThat(merged.resolve("opaque").toFile().list()).containsExactly("new");
    }

    @Test
    void ownersDevicesAndSpecialBits_areUnpackedAsInTheTar() throws Exception {
        var layers = new OverlayLayerStore(dataRoot.resolve("overlay"));
        byte[] tar = new Tars()
                .owned("home/user/file", 0640, "mine", 1000, 1001)
                .owned("usr/bin/sgid", 02755, "x", 0, 42)
                .device("dev/null", TarConstants.LF_CHR, 0666, 1, 3)
                .device("dev/loop9", TarConstants.LF_BLK, 0660, 7, 9)
                .device("run/fifo", TarConstants.LF_FIFO, 0600, 0, 0)
                .build();
        Path diff = layers.diffDir(commit(layers, tar, null).chainId());

        Path file = diff.resolve("home/user/file");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(1001);
        assertThat((int) Files.getAttribute(diff.resolve("usr/bin/sgid"), "unix:mode") & 07777).isEqualTo(02755);
        assertThat(Files.getAttribute(diff.resolve("dev/null"), "unix:rdev")).isEqualTo(NativeFs.makedev(1, 3));
        assertThat(Files.getAttribute(diff.resolve("dev/loop9"), "unix:rdev")).isEqualTo(NativeFs.makedev(7, 9));
        assertThat((int) Files.getAttribute(diff.resolve("dev/loop9"), "unix:mode") & 0170000).isEqualTo(NativeFs.S_IFBLK);
        assertThat(Files.getAttribute(diff.resolve("run/fifo"), "unix:mode")).isEqualTo(NativeFs.S_IFIFO | 0600);
    }

    private static LayerInfo commit(OverlayLayerStore store, byte[] tar, String parent) {
        try (var pending = store.unpack(new ByteArrayInputStream(tar))) {
            return store.commit(pending, parent);
        }
    }

    private Path mount(LayerStore.Mount mount) throws Exception {
        Path merged = Files.createDirectories(dataRoot.resolve("merged"));
        var r = run("mount", "-t", mount.type(), mount.source(), "-o", String.join(",", mount.options()), merged.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        mounted.add(merged);
        return merged;
    }

    record Result(int exit, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
