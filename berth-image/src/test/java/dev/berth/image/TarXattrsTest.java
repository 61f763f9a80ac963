package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extended attributes through layer tars: binary values (a file capability) written by {@link TarWriter}, read back
 * byte for byte by {@link TarStreamTap.Xattrs} and set by {@link TarUnpacker}, and a tar GNU tar wrote from a file
 * {@code setcap} marked.
 */
class TarXattrsTest {
    /**
     * {@code setcap cap_setuid,cap_net_raw+ep}: VFS_CAP_REVISION_2 with the effective flag, permitted bits 7 and 13
     * (0x2080: a 0x80 byte, not valid UTF-8 on its own, which a UTF-8 decoding of the PAX value would corrupt).
     */
    static final byte[] CAP_SETUID_NET_RAW = HexFormat.of().parseHex("0100000280200000000000000000000000000000");

    @TempDir
    Path dir;

    @Test
    void tarWriter_writesBinaryXattrs_thatTheTapReadsBackExactly_alongsideLongAndNonAsciiNames() throws IOException {
        String longName = "d/" + "x".repeat(150);
        byte[] tar = write(out -> {
            var w = new TarWriter(out);
            put(w, dir("d/"), Map.of());
            put(w, file("d/ping", "ping"), Map.of("security.capability", CAP_SETUID_NET_RAW));
            put(w, file(longName, "long"), Map.of("user.note", "é\n=1".getBytes(StandardCharsets.UTF_8)));
            put(w, file("d/café", "plain"), Map.of());
            w.finish();
        });

        var names = new ArrayList<String>();
        var xattrs = new ArrayList<Map<String, byte[]>>();
        var tap = new TarStreamTap.Xattrs(new ByteArrayInputStream(tar));
        try (var in = new TarArchiveInputStream(tap, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                xattrs.add(tap.current());
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(e.isDirectory() ? "" : contentOf(e));
            }
        }
        assertThat(names).containsExactly("d/", "d/ping", longName, "d/café");
        assertThat(xattrs.get(0)).isEmpty();
        assertThat(xattrs.get(1).get("security.capability")).isEqualTo(CAP_SETUID_NET_RAW);
        assertThat(new String(xattrs.get(2).get("user.note"), StandardCharsets.UTF_8)).isEqualTo("é\n=1");
        assertThat(xattrs.get(3)).isEmpty();
        assertThat(tar.length % 512).isZero();
    }

    @Test
    void unpack_setsTheFileCapability_andOtherXattrs_butNoOverlayOnes() throws IOException, InterruptedException {
        byte[] tar = write(out -> {
            var w = new TarWriter(out);
            put(w, dir("bin/"), Map.of("user.dir", "yes".getBytes(StandardCharsets.UTF_8)));
            put(w, file("bin/ping", "ping"), Map.of("security.capability", CAP_SETUID_NET_RAW,
                    "trusted.overlay.redirect", "/etc".getBytes(StandardCharsets.UTF_8)));
            w.finish();
        });
        Path root = Files.createDirectory(dir.resolve("layer"));

        TarUnpacker.unpack(new ByteArrayInputStream(tar), root);

        Path ping = root.resolve("bin/ping");
        assertThat(NativeFs.lgetxattr(ping, "security.capability")).isEqualTo(CAP_SETUID_NET_RAW);
        assertThat(NativeFs.lgetxattr(ping, "trusted.overlay.redirect")).isNull();
        assertThat(NativeFs.lgetxattr(root.resolve("bin"), "user.dir")).isEqualTo("yes".getBytes(StandardCharsets.UTF_8));
        assertThat(run("getcap", ping.toString())).contains("cap_setuid,cap_net_raw=ep");
    }

    @Test
    void unpack_keepsTheCapabilityOfAFileGnuTarArchived() throws IOException, InterruptedException {
        Path src = Files.createDirectory(dir.resolve("src"));
        Files.writeString(src.resolve("ping"), "ping");
        run("setcap", "cap_setuid,cap_net_raw+ep", src.resolve("ping").toString());
        Path tarFile = dir.resolve("gnu.tar");
        run("tar", "--xattrs", "--format=posix", "-C", src.toString(), "-cf", tarFile.toString(), "ping");
        Path root = Files.createDirectory(dir.resolve("layer"));

        TarUnpacker.unpack(Files.newInputStream(tarFile), root);

        assertThat(NativeFs.lgetxattr(root.resolve("ping"), "security.capability")).isEqualTo(CAP_SETUID_NET_RAW);
        assertThat(run("getcap", root.resolve("ping").toString())).contains("cap_setuid,cap_net_raw=ep");
    }

    @Test
    void paxRecords_countTheirOwnLength() {
        var records = new LinkedHashMap<String, byte[]>();
        // " path=" + 91 bytes + "\n" is 98: with two digits 100, which needs three, so 101.
        records.put("path", "a".repeat(91).getBytes(StandardCharsets.US_ASCII));
        byte[] data = TarWriter.paxRecords(records);
        assertThat(new String(data, StandardCharsets.US_ASCII)).startsWith("101 path=").hasSize(101);
    }

    private interface TarBody {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] write(TarBody body) throws IOException {
        var out = new ByteArrayOutputStream();
        body.write(out);
        return out.toByteArray();
    }

    private static final Map<String, String> CONTENTS = new LinkedHashMap<>();

    private static TarArchiveEntry file(String name, String content) {
        var e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        e.setMode(0755);
        e.setSize(content.getBytes(StandardCharsets.UTF_8).length);
        e.setModTime(FileTime.from(Tars.MTIME));
        CONTENTS.put(name, content);
        return e;
    }

    private static TarArchiveEntry dir(String name) {
        var e = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
        e.setMode(0755);
        e.setModTime(FileTime.from(Tars.MTIME));
        return e;
    }

    private static String contentOf(TarArchiveEntry e) {
        return CONTENTS.get(e.getName());
    }

    private static void put(TarWriter w, TarArchiveEntry e, Map<String, byte[]> xattrs) throws IOException {
        w.putEntry(e, xattrs);
        if (!e.isDirectory()) {
            byte[] data = CONTENTS.get(e.getName()).getBytes(StandardCharsets.UTF_8);
            w.write(data, 0, data.length);
        }
        w.closeEntry();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
