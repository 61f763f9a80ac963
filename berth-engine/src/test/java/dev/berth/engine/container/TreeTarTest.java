package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.sys.DirFd;
import dev.berth.sys.Libc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeTarTest {

    /** Entry name to a short description: "d", "f:<content>", "l:<target>", "h:<target>", "p" (fifo). */
    private static Map<String, String> read(byte[] tar) throws Exception {
        var out = new LinkedHashMap<String, String>();
        try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String what = e.isDirectory() ? "d"
                        : e.isSymbolicLink() ? "l:" + e.getLinkName()
                        : e.isLink() ? "h:" + e.getLinkName()
                        : e.isFIFO() ? "p"
                        : "f:" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                out.put(e.getName(), what);
            }
        }
        return out;
    }

    private static byte[] tarOf(Path dir, boolean overlay, String name, String tarName) throws Exception {
        var bytes = new ByteArrayOutputStream();
        int fd = DirFd.open(dir.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            var tar = new TreeTar(bytes, overlay);
            if (name == null) tar.addChildren(fd, "");
            else tar.add(fd, name, tarName);
            tar.finish();
        } finally {
            DirFd.close(fd);
        }
        return bytes.toByteArray();
    }

    @Test
    void writesEveryKind_andNeverFollowsALink(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/sub"));
        Files.writeString(root.resolve("a"), "alpha");
        Files.createLink(root.resolve("a2"), root.resolve("a"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/"));
        int fd = DirFd.open(root.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        DirFd.mknod(fd, "fifo", DirFd.S_IFIFO | 0644, 0, 0);
        DirFd.close(fd);

        var entries = read(tarOf(tmp.resolve("root"), false, "sub", "sub"));
        assertThat(entries).containsExactly(
                Map.entry("sub/", "d"), Map.entry("sub/a", "f:alpha"), Map.entry("sub/a2", "h:sub/a"),
                Map.entry("sub/escape", "l:/"), Map.entry("sub/fifo", "p"));
        // A whole tree without a root entry, as export writes it.
        assertThat(read(tarOf(root, false, null, null)).keySet()).containsExactly("a", "a2", "escape", "fifo");
        // "." rooted at "./", and the root of a container as "/...".
        assertThat(read(tarOf(root, false, ".", "./")).keySet()).contains("./", "./a");
        assertThat(read(tarOf(root, false, ".", "/")).keySet()).contains("/", "/a");
    }

    @Test
    void emptyTree_hasTheDigestDockerKnowsForAnEmptyLayer(@TempDir Path tmp) throws Exception {
        byte[] tar = tarOf(tmp, true, null, null);
        assertThat(tar).hasSize(1024);
        var sha = java.security.MessageDigest.getInstance("SHA-256").digest(tar);
        assertThat("sha256:" + java.util.HexFormat.of().formatHex(sha))
                .isEqualTo("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
    }

    @Test
    void overlayLayer_turnsWhiteoutsAndOpaqueDirsIntoTarMarkers_andLeavesMountPointsOut(@TempDir Path tmp) throws Exception {
        assumeTrue(Libc.getuid() == 0, "whiteouts and trusted.* xattrs need root");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/hosts"), "");
        Files.writeString(upper.resolve("etc/app.conf"), "x");
        Files.createDirectories(upper.resolve("opaque"));
        Files.createDirectories(upper.resolve("proc"));
        int fd = DirFd.open(upper.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        DirFd.mknod(fd, "gone", DirFd.S_IFCHR, 0, 0);
        DirFd.close(fd);
        int opaque = DirFd.open(upper.resolve("opaque").toString(), DirFd.O_RDONLY | DirFd.O_DIRECTORY);
        DirFd.setxattr(opaque, "trusted.overlay.opaque", new byte[] {'y'});
        DirFd.close(opaque);

        Files.createDirectories(upper.resolve("only-mounts/etc")); // not an init path: kept
        Path run = Files.createDirectories(tmp.resolve("run-upper/etc"));
        Files.writeString(run.resolve("hostname"), "");
        Files.writeString(run.resolve("resolv.conf"), "");
        Files.createDirectories(tmp.resolve("run-upper/proc"));
        assertThat(read(tarOf(tmp.resolve("run-upper"), true, null, null))).isEmpty();

        var entries = read(tarOf(upper, true, null, null));
        assertThat(entries).containsExactly(
                Map.entry("etc/", "d"), Map.entry("etc/app.conf", "f:x"), Map.entry(".wh.gone", "f:"),
                Map.entry("only-mounts/", "d"), Map.entry("only-mounts/etc/", "d"),
                Map.entry("opaque/", "d"), Map.entry("opaque/.wh..wh..opq", "f:"));
    }

    @Test
    void mountedNames_areReadFromTheMountsSource_notFromUnderneath(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/hidden"), "under the mount");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hosts"), "layer's");
        Path volume = Files.createDirectories(tmp.resolve("volume/sub"));
        Files.writeString(volume.resolve("seen"), "volume's");
        Path hosts = Files.writeString(tmp.resolve("hosts"), "engine's");

        var bytes = new ByteArrayOutputStream();
        int fd = DirFd.open(root.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            var tar = new TreeTar(bytes).withMounts(Map.of("/data", volume.getParent(), "/etc/hosts", hosts,
                    "/gone", tmp.resolve("missing")));
            tar.add(fd, ".", "/");
            tar.finish();
        } finally {
            DirFd.close(fd);
        }

        assertThat(read(bytes.toByteArray())).containsExactly(
                Map.entry("/", "d"), Map.entry("/data/", "d"), Map.entry("/data/sub/", "d"),
                Map.entry("/data/sub/seen", "f:volume's"), Map.entry("/etc/", "d"), Map.entry("/etc/hosts", "f:engine's"));
    }

    /** {@code setcap cap_setuid,cap_net_raw+ep}: revision 2, permitted bits 7 and 13 (a 0x80 byte: not UTF-8). */
    private static final byte[] CAP_V2 = java.util.HexFormat.of().parseHex("0100000280200000000000000000000000000000");

    @Test
    void aFileCapability_goesIntoTheTarAsRawBytes_andComesBackOutOfIt_otherXattrsStayOut(@TempDir Path tmp) throws Exception {
        assumeTrue(Libc.getuid() == 0, "security.* xattrs need root");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("ping"), "ping");
        Files.writeString(src.resolve("ns-ping"), "ping");
        int ping = DirFd.open(src.resolve("ping").toString(), DirFd.O_RDONLY);
        DirFd.setxattr(ping, "security.capability", CAP_V2);
        DirFd.setxattr(ping, "user.note", "not exported".getBytes(StandardCharsets.UTF_8));
        DirFd.close(ping);
        // Revision 3 (rootid 1000 appended), as setcap writes it inside a user namespace: archived as revision 2.
        byte[] v3 = java.util.HexFormat.of().parseHex("01000003802000000000000000000000000000000e803000");
        int nsPing = DirFd.open(src.resolve("ns-ping").toString(), DirFd.O_RDONLY);
        DirFd.setxattr(nsPing, "security.capability", v3);
        DirFd.close(nsPing);

        byte[] tar = tarOf(src, false, null, null);

        var xattrs = new LinkedHashMap<String, Map<String, byte[]>>();
        var tap = new dev.berth.image.TarStreamTap.Xattrs(new ByteArrayInputStream(tar));
        try (var in = new TarArchiveInputStream(tap)) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) xattrs.put(e.getName(), tap.current());
        }
        assertThat(xattrs.keySet()).containsExactly("ns-ping", "ping");
        assertThat(xattrs.get("ping")).containsOnlyKeys("security.capability");
        assertThat(xattrs.get("ping").get("security.capability")).isEqualTo(CAP_V2);
        assertThat(xattrs.get("ns-ping").get("security.capability")).isEqualTo(CAP_V2);

        Path dest = Files.createDirectories(tmp.resolve("dest"));
        int rootFd = DirFd.open(dest.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            new TarExtractor(rootFd, rootFd, false, -1, -1).extract(new ByteArrayInputStream(tar));
        } finally {
            DirFd.close(rootFd);
        }
        int copied = DirFd.open(dest.resolve("ping").toString(), DirFd.O_PATH);
        try {
            assertThat(DirFd.getxattr(copied, "security.capability")).isEqualTo(CAP_V2); // set after the chown
            assertThat(DirFd.getxattr(copied, "user.note")).isNull();
        } finally {
            DirFd.close(copied);
        }
    }

    @Test
    void aSymlinkThatWentOrChangedSinceTheListing_isSkipped_notAnError(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("file"));
        int fd = DirFd.open(tmp.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            assertThat(TreeTar.readlinkIfStill(fd, "link")).isEqualTo("file");
            assertThat(TreeTar.readlinkIfStill(fd, "gone")).isNull(); // ENOENT
            assertThat(TreeTar.readlinkIfStill(fd, "file")).isNull(); // EINVAL: no symlink any more
        } finally {
            DirFd.close(fd);
        }
    }
}
