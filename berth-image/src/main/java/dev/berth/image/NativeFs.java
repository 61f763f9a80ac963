package dev.berth.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The few file-system calls Java cannot make: mknod (devices, fifos, overlay whiteouts), chmod with the
 * setuid/setgid/sticky bits, {@code trusted.*} xattrs (UserDefinedFileAttributeView only reaches {@code user.*}) and
 * syncfs. Bound through FFM on libc rather than by running {@code mknod}/{@code setfattr}, which need not be
 * installed and cost a process each. Linux x86_64/aarch64 only; the JVM needs {@code --enable-native-access}.
 */
final class NativeFs {
    private NativeFs() {}

    static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;
    static final int EPERM = 1, ENODATA = 61, EOPNOTSUPP = 95;
    private static final int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MKNOD = bind("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CHMOD = bind("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LSETXATTR = bind("lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LGETXATTR = bind("lgetxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SYNCFS = bind("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UTIMENSAT = bind("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("geteuid"), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** An errno from a failed call, kept so callers can tell "not supported" from real failures. */
    static final class ErrnoException extends IOException {
        final int errno;

        ErrnoException(String call, Path path, int errno) {
            super(call + " " + path + ": " + strerror(errno));
            this.errno = errno;
        }
    }

    /** Creates a device node or fifo; {@code type} is one of the S_IF* constants. */
    static void mknod(Path path, int type, int permissions, int major, int minor) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CAPTURE);
            int rc = (int) MKNOD.invokeExact(state, cString(arena, path), type | (permissions & 07777), makedev(major, minor));
            check(rc, state, "mknod", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** chmod(2) with all twelve permission bits, which Files.setPosixFilePermissions cannot express. */
    static void chmod(Path path, int mode) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CAPTURE);
            int rc = (int) CHMOD.invokeExact(state, cString(arena, path), mode & 07777);
            check(rc, state, "chmod", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Sets access and modification time without opening the file or following a symlink (utimensat with
     * AT_SYMLINK_NOFOLLOW). Java's setTimes opens the file first, which blocks on a fifo and opens devices.
     */
    static void lutimes(Path path, java.time.Instant time) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CAPTURE);
            var times = arena.allocate(JAVA_LONG, 4); // struct timespec[2]: atime, mtime
            for (int i = 0; i < 2; i++) {
                times.setAtIndex(JAVA_LONG, 2L * i, time.getEpochSecond());
                times.setAtIndex(JAVA_LONG, 2L * i + 1, time.getNano());
            }
            int rc = (int) UTIMENSAT.invokeExact(state, AT_FDCWD, cString(arena, path), times, AT_SYMLINK_NOFOLLOW);
            check(rc, state, "utimensat", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sets an extended attribute on the path itself, not on what a symlink points to. */
    static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CAPTURE);
            var buf = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(state, cString(arena, path), arena.allocateFrom(name), buf, (long) value.length, 0);
            check(rc, state, "lsetxattr " + name, path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The attribute's value, or null if the file does not have it. */
    static byte[] lgetxattr(Path path, String name) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CAPTURE);
            var buf = arena.allocate(65536);
            long n = (long) LGETXATTR.invokeExact(state, cString(arena, path), arena.allocateFrom(name), buf, 65536L);
            if (n < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == ENODATA) return null;
                throw new ErrnoException("lgetxattr " + name, path, errno);
            }
            return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Flushes the whole file system holding {@code dir}: one call instead of an fsync per unpacked file. */
    static void syncfs(Path dir) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, cString(arena, dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
            check(fd, state, "open", dir);
            try {
                int rc = (int) SYNCFS.invokeExact(state, fd);
                check(rc, state, "syncfs", dir);
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static boolean isRoot() {
        try {
            return (int) GETEUID.invokeExact() == 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** glibc's gnu_dev_makedev: 12 bits of major and 20 of minor, split across the 64-bit dev_t. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL, mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    private static MemorySegment cString(Arena arena, Path path) {
        return arena.allocateFrom(path.toAbsolutePath().toString());
    }

    private static void check(int rc, MemorySegment state, String call, Path path) throws ErrnoException {
        if (rc < 0) throw new ErrnoException(call, path, (int) ERRNO.get(state, 0L));
    }

    private static String strerror(int errno) {
        try {
            var msg = (MemorySegment) STRERROR.invokeExact(errno);
            return msg.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
        var options = new Linker.Option[extra.length + 1];
        options[0] = SAVE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, options);
    }
}
