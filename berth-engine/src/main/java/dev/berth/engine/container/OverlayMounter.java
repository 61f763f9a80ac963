package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.image.LayerStore;
import dev.berth.sys.Libc;
import dev.berth.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mounts container root filesystems with mount(2) and detaches them with umount2(MNT_DETACH). */
public final class OverlayMounter implements RootfsMounter {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    @Override
    public void mount(LayerStore.Mount mount, Path target) {
        String where = target.toAbsolutePath().toString();
        if (isMountPoint(where)) return; // kept across a daemon restart
        try {
            Libc.mount(mount.source(), where, mount.type(), 0, String.join(",", mount.options()));
        } catch (SysException e) {
            throw EngineException.failure("error mounting the container's root filesystem at %s: %s", where, e.getMessage());
        }
    }

    @Override
    public void unmount(Path target) {
        String where = target.toAbsolutePath().toString();
        while (isMountPoint(where)) {
            try {
                Libc.umount2(where, Libc.MNT_DETACH);
            } catch (SysException e) {
                throw EngineException.failure("error unmounting %s: %s", where, e.getMessage());
            }
        }
    }

    /** Whether something is mounted exactly at {@code path}, from mountinfo's fifth field (octal escapes undone). */
    static boolean isMountPoint(String path) {
        try {
            for (String line : Files.readAllLines(MOUNTINFO)) {
                String[] fields = line.split(" ", 6);
                if (fields.length > 4 && unescape(fields[4]).equals(path)) return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
