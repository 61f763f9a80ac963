package dev.berth.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small tar archives in memory for the tests. */
final class Tars {
    static final Instant MTIME = Instant.parse("2021-06-01T12:00:00Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());

    Tars() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    Tars dir(String name, int mode) {
        return add(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode, null, e -> {});
    }

    Tars file(String name, int mode, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return add(name, TarConstants.LF_NORMAL, mode, data, e -> e.setSize(data.length));
    }

    Tars symlink(String name, String target) {
        return add(name, TarConstants.LF_SYMLINK, 0777, null, e -> e.setLinkName(target));
    }

    Tars hardlink(String name, String target) {
        return add(name, TarConstants.LF_LINK, 0644, null, e -> e.setLinkName(target));
    }

    Tars device(String name, byte type, int mode, int major, int minor) {
        return add(name, type, mode, null, e -> {
            e.setDevMajor(major);
            e.setDevMinor(minor);
        });
    }

    Tars owned(String name, int mode, String content, int uid, int gid) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return add(name, TarConstants.LF_NORMAL, mode, data, e -> {
            e.setSize(data.length);
            e.setUserId(uid);
            e.setGroupId(gid);
        });
    }

    private Tars add(String name, byte type, int mode, byte[] data, Consumer<TarArchiveEntry> tweak) {
        var e = new TarArchiveEntry(name, type, true); // keep absolute names: tests need them
        e.setMode(mode);
        e.setModTime(FileTime.from(MTIME));
        tweak.accept(e);
        try {
            tar.putArchiveEntry(e);
            if (data != null) tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    byte[] build() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A tar of one small file, different for each {@code content}. */
    static byte[] single(String content) {
        return new Tars().dir("etc", 0755).file("etc/hello", 0644, content).build();
    }
}
