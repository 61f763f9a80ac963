package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * File descriptors of directories and the {@code *at()} calls that work relative to them, for touching a file tree
 * the engine does not trust (a container's root filesystem, which the container may change at any moment).
 *
 * <p>The rule: a path that comes from a container is only ever resolved by the kernel, with {@link #openat2} and
 * {@link #RESOLVE_IN_ROOT} (symlinks, {@code ..} and absolute names stay inside the root, even while the container
 * swaps them) or {@link #RESOLVE_BENEATH} plus {@link #RESOLVE_NO_SYMLINKS}; after that, every call acts on a
 * descriptor, or on one name relative to a directory descriptor without following a final symlink. A Java
 * {@link Path} is only made by {@link #procPath} ({@code /proc/self/fd/N}, which the kernel resolves to exactly that
 * descriptor's file) and only used to reopen or list what the descriptor already is.
 *
 * <p>Constants are x86_64's where they differ ({@code O_DIRECTORY}, {@code O_NOFOLLOW}: aarch64's are chosen at
 * class initialisation); openat2 is syscall 437 on both, called through libc's {@code syscall()} since glibc has no
 * wrapper.
 */
public final class DirFd {
    private DirFd() {}

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    public static final int AT_FDCWD = -100;
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000,
            O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    public static final int O_DIRECTORY = AARCH64 ? 0x4000 : 0x10000;
    public static final int O_NOFOLLOW = AARCH64 ? 0x8000 : 0x20000;
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;
    public static final int EEXIST = 17, ENOTDIR = 20, EISDIR = 21, ELOOP = 40, EXDEV = 18, ENOTEMPTY = 39,
            ENODATA = 61, EOPNOTSUPP = 95;

    private static final long SYS_OPENAT2 = 437;
    private static final int STATX_BASIC_STATS = 0x7ff;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SYSCALL4 = bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle STATX = bind("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle READLINKAT = bind("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle MKDIRAT = bind("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MKNODAT = bind("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle SYMLINKAT = bind("symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle LINKAT = bind("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UNLINKAT = bind("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCHOWNAT = bind("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHMOD = bind("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UTIMENSAT = bind("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle FUTIMENS = bind("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETXATTR = bind("setxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETXATTR = bind("getxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));

    /** What statx(2) says about a file, in the units Java code wants. */
    public record Stat(int mode, int uid, int gid, long size, long mtimeSeconds, int mtimeNanos, long ino,
                       int devMajor, int devMinor, int rdevMajor, int rdevMinor, int nlink) {
        public int type() { return mode & S_IFMT; }
        public boolean isDirectory() { return type() == S_IFDIR; }
        public boolean isRegular() { return type() == S_IFREG; }
        public boolean isSymlink() { return type() == S_IFLNK; }
        public int permissions() { return mode & 07777; }
    }

    /** The path through which the kernel reaches exactly the file {@code fd} refers to. */
    public static Path procPath(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** open(2) of a path the engine chose (never one a container chose). */
    public static int open(String path, int flags) throws SysException {
        return Libc.open(path, flags | O_CLOEXEC);
    }

    public static void close(int fd) {
        if (fd >= 0) Libc.close(fd);
    }

    /**
     * openat2(2): opens {@code path} relative to {@code dirfd} with the {@code resolve} rules ({@code RESOLVE_*}).
     * Retried on EAGAIN, which the kernel returns when a rename raced with an {@code IN_ROOT} or {@code BENEATH}
     * lookup. O_CLOEXEC is always added.
     */
    public static int openat2(int dirfd, String path, int flags, int mode, long resolve) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment how = arena.allocate(24); // struct open_how { u64 flags, mode, resolve; }
            how.set(JAVA_LONG, 0, (long) (flags | O_CLOEXEC));
            how.set(JAVA_LONG, 8, (long) mode);
            how.set(JAVA_LONG, 16, resolve);
            MemorySegment p = arena.allocateFrom(path, StandardCharsets.UTF_8);
            for (int attempt = 0; ; attempt++) {
                long rc;
                try {
                    rc = (long) SYSCALL4.invokeExact(state, SYS_OPENAT2, (long) dirfd, p, how, 24L);
                } catch (Throwable t) {
                    throw broken(t);
                }
                if (rc >= 0) return (int) rc;
                int err = errno(state);
                if ((err == Libc.EAGAIN && attempt < 64) || err == Libc.EINTR) continue;
                throw new SysException("openat2", path, err);
            }
        }
    }

    /** statx(2) of {@code name} in {@code dirfd}, not following a final symlink; "" means {@code dirfd} itself. */
    public static Stat stat(int dirfd, String name) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(256);
            int flags = AT_SYMLINK_NOFOLLOW | (name.isEmpty() ? AT_EMPTY_PATH : 0);
            int rc;
            try {
                rc = (int) STATX.invokeExact(state, dirfd, arena.allocateFrom(name, StandardCharsets.UTF_8), flags,
                        STATX_BASIC_STATS, buf);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (rc != 0) throw new SysException("statx", name, errno(state));
            return new Stat(
                    Short.toUnsignedInt(buf.get(JAVA_SHORT, 28)),
                    buf.get(JAVA_INT, 20), buf.get(JAVA_INT, 24),
                    buf.get(JAVA_LONG, 40),
                    buf.get(JAVA_LONG, 112), buf.get(JAVA_INT, 120),
                    buf.get(JAVA_LONG, 32),
                    buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140),
                    buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132),
                    buf.get(JAVA_INT, 16));
        }
    }

    /** Like {@link #stat} but null when the name does not exist. */
    public static Stat statIfExists(int dirfd, String name) throws SysException {
        try {
            return stat(dirfd, name);
        } catch (SysException e) {
            if (e.errno() == Libc.ENOENT) return null;
            throw e;
        }
    }

    /** readlinkat(2): the target of the symlink {@code name} in {@code dirfd} ("" for an O_PATH fd of a link). */
    public static String readlink(int dirfd, String name) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(4097);
            long n;
            try {
                n = (long) READLINKAT.invokeExact(state, dirfd, arena.allocateFrom(name, StandardCharsets.UTF_8), buf, 4096L);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (n < 0) throw new SysException("readlink", name, errno(state));
            return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    public static void mkdir(int dirfd, String name, int mode) throws SysException {
        call("mkdir", name, () -> (int) MKDIRAT.invokeExact(stateOf(), dirfd, cstr(name), mode));
    }

    /** mknodat(2) for a device, fifo or socket node; {@code mode} holds the type bits. */
    public static void mknod(int dirfd, String name, int mode, int major, int minor) throws SysException {
        call("mknod", name, () -> (int) MKNODAT.invokeExact(stateOf(), dirfd, cstr(name), mode, makedev(major, minor)));
    }

    public static void symlink(String target, int dirfd, String name) throws SysException {
        call("symlink", name, () -> (int) SYMLINKAT.invokeExact(stateOf(), cstr(target), dirfd, cstr(name)));
    }

    /** linkat(2) without following a symlink at the old name. */
    public static void link(int oldDirfd, String oldName, int newDirfd, String newName) throws SysException {
        call("link", newName, () -> (int) LINKAT.invokeExact(stateOf(), oldDirfd, cstr(oldName), newDirfd, cstr(newName), 0));
    }

    /** unlinkat(2); {@code directory} removes an empty directory. */
    public static void unlink(int dirfd, String name, boolean directory) throws SysException {
        call("unlink", name, () -> (int) UNLINKAT.invokeExact(stateOf(), dirfd, cstr(name), directory ? AT_REMOVEDIR : 0));
    }

    /** fchownat(2) of {@code name} in {@code dirfd} itself, never what a symlink points to; "" means the fd. */
    public static void chown(int dirfd, String name, int uid, int gid) throws SysException {
        int flags = AT_SYMLINK_NOFOLLOW | (name.isEmpty() ? AT_EMPTY_PATH : 0);
        call("chown", name, () -> (int) FCHOWNAT.invokeExact(stateOf(), dirfd, cstr(name), uid, gid, flags));
    }

    /** fchmod(2) with all twelve permission bits; {@code fd} must be a real (not O_PATH) descriptor. */
    public static void chmod(int fd, int mode) throws SysException {
        call("chmod", "fd " + fd, () -> (int) FCHMOD.invokeExact(stateOf(), fd, mode & 07777));
    }

    /**
     * utimensat(2) of {@code name} in {@code dirfd}, not following a final symlink; "" means the descriptor itself,
     * which must then be a real (not O_PATH) one.
     */
    public static void setTimes(int dirfd, String name, long seconds, int nanos) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment times = arena.allocate(JAVA_LONG, 4);
            for (int i = 0; i < 2; i++) {
                times.setAtIndex(JAVA_LONG, 2L * i, seconds);
                times.setAtIndex(JAVA_LONG, 2L * i + 1, nanos);
            }
            int rc;
            try {
                rc = name.isEmpty() ? (int) FUTIMENS.invokeExact(state, dirfd, times) // glibc refuses a NULL path
                        : (int) UTIMENSAT.invokeExact(state, dirfd, arena.allocateFrom(name, StandardCharsets.UTF_8), times,
                                AT_SYMLINK_NOFOLLOW);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (rc != 0) throw new SysException("utimensat", name, errno(state));
        }
    }

    /**
     * The extended attribute {@code attr} of the file {@code fd} refers to, or null if it has none (or the file system
     * has no attributes). Read through {@link #procPath}, so an O_PATH descriptor works too, that of a symlink
     * included (the attribute of the link itself): fgetxattr(2) refuses O_PATH descriptors.
     */
    public static byte[] getxattr(int fd, String attr) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(65536);
            long n;
            try {
                n = (long) GETXATTR.invokeExact(state, arena.allocateFrom(procPath(fd).toString()),
                        arena.allocateFrom(attr, StandardCharsets.UTF_8), buf, 65536L);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (n < 0) {
                int err = errno(state);
                if (err == ENODATA || err == EOPNOTSUPP) return null;
                throw new SysException("getxattr " + attr, "fd " + fd, err);
            }
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    /** Sets an extended attribute of the file {@code fd} refers to; as {@link #getxattr}, O_PATH descriptors work. */
    public static void setxattr(int fd, String attr, byte[] value) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, JAVA_BYTE, 0, value.length);
            int rc;
            try {
                rc = (int) SETXATTR.invokeExact(state, arena.allocateFrom(procPath(fd).toString()),
                        arena.allocateFrom(attr, StandardCharsets.UTF_8), buf, (long) value.length, 0);
            } catch (Throwable t) {
                throw broken(t);
            }
            if (rc != 0) throw new SysException("setxattr " + attr, "fd " + fd, errno(state));
        }
    }

    /** glibc's gnu_dev_makedev. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL, mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    // ---- plumbing: one confined arena per call, kept in a scoped value for the lambda-shaped calls ------------

    @FunctionalInterface
    private interface IntCall {
        int call() throws Throwable;
    }

    private static final ScopedValue<Arena> ARENA = ScopedValue.newInstance();
    private static final ScopedValue<MemorySegment> STATE = ScopedValue.newInstance();

    private static MemorySegment stateOf() {
        return STATE.get();
    }

    private static MemorySegment cstr(String s) {
        return ARENA.get().allocateFrom(s, StandardCharsets.UTF_8);
    }

    private static void call(String what, String subject, IntCall c) throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc;
            try {
                rc = ScopedValue.where(ARENA, arena).where(STATE, state).call(c::call);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw broken(t);
            }
            if (rc != 0) throw new SysException(what, subject, errno(state));
        }
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        System.arraycopy(extra, 0, options, 0, extra.length);
        options[extra.length] = SAVE_ERRNO;
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, options);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static IllegalStateException broken(Throwable t) {
        return new IllegalStateException("native call failed: " + t, t);
    }
}
