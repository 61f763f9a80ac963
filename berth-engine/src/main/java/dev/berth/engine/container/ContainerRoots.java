package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.image.LayerStore;
import dev.berth.sys.DirFd;
import dev.berth.sys.SysException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A container's root filesystem as a directory descriptor, for the file operations (cp, export, commit) that read or
 * write it from the host. A running container's root is the overlay mounted in its bundle; a stopped one's overlay
 * is mounted under {@code <exec-root>/rootfs-ops} for the operation and unmounted after it (or, after a crash, when
 * the daemon starts again).
 *
 * <p>The descriptor is the only way in: whatever a container path names is resolved by the kernel inside it (see
 * {@link DirFd}). It stays valid if the container stops meanwhile, since its rootfs is then detached lazily.
 *
 * <p>Operations on one stopped container are serialized, so its layer is never mounted twice by them, and its
 * removal waits for them (the container's root lock, {@link ContainerService#holdRoot}): a layer still mounted here
 * could not be removed. A start of the container during such an operation mounts the same upper directory a second
 * time, which overlayfs allows (Docker holds the container's lock instead).
 */
public final class ContainerRoots {
    private final ContainerService containers;
    private final LayerStore layers;
    private final RootfsMounter mounter;
    private final Path bundleRoot;
    private final Path scratch;

    /** What to do with an open root: {@code rootFd} is an O_PATH descriptor of its top directory. */
    @FunctionalInterface
    public interface RootAction<T> {
        T apply(Container container, int rootFd) throws IOException;
    }

    public ContainerRoots(ContainerService containers, LayerStore layers, RootfsMounter mounter, Path bundleRoot,
                          Path scratch) {
        this.containers = containers;
        this.layers = layers;
        this.mounter = mounter;
        this.bundleRoot = bundleRoot;
        this.scratch = scratch;
        sweep();
    }

    /**
     * Unmounts and removes what a crash left under the scratch directory: a stopped container's layer left mounted
     * there would make its removal fail ("still mounted").
     */
    private void sweep() {
        if (!Files.isDirectory(scratch)) return;
        try (var leftovers = Files.list(scratch)) {
            for (Path p : leftovers.toList()) {
                mounter.unmount(p);
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cleaning up " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** Looks the container up (NotFound: "No such container") and runs {@code action} on its root. */
    public <T> T withRoot(String idOrName, RootAction<T> action) {
        Container c = containers.get(idOrName);
        try {
            Path live = bundleRoot.resolve(c.id()).resolve("rootfs");
            if (c.state().isRunning()) {
                int fd = openIfMounted(live);
                if (fd >= 0) return run(c, fd, action);
            }
            try (var hold = containers.holdRoot(c.id())) {
                c = current(c.id(), idOrName); // removed while this waited
                int fd = openIfMounted(live); // started meanwhile
                if (fd >= 0) return run(c, fd, action);
                return withPrivateMount(c, action);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private Container current(String id, String asked) {
        try {
            return containers.get(id);
        } catch (EngineException.NotFound e) {
            throw ContainerIndex.noSuch(asked);
        }
    }

    private <T> T withPrivateMount(Container c, RootAction<T> action) throws IOException {
        Path target = scratch.resolve(c.id() + "-" + UUID.randomUUID());
        Files.createDirectories(target);
        try {
            mounter.mount(layers.mountFor(c.id()), target);
            try {
                int fd = DirFd.open(target.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
                return run(c, fd, action);
            } finally {
                mounter.unmount(target);
            }
        } finally {
            Files.deleteIfExists(target);
        }
    }

    private static <T> T run(Container c, int fd, RootAction<T> action) throws IOException {
        try {
            return action.apply(c, fd);
        } finally {
            DirFd.close(fd);
        }
    }

    /** An O_PATH descriptor of {@code rootfs} if a filesystem is mounted there, else -1. */
    private static int openIfMounted(Path rootfs) {
        if (!OverlayMounter.isMountPoint(rootfs.toAbsolutePath().toString())) return -1;
        try {
            return DirFd.open(rootfs.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        } catch (SysException e) {
            return -1;
        }
    }

    /** Fails with Docker's message for a path that is not in the container. */
    static EngineException.NotFound notFound(String path, String container) {
        return EngineException.notFound("Could not find the file %s in container %s", path, container);
    }
}
