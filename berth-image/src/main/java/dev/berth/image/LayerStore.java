package dev.berth.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Layers stacked with overlayfs. Image layers are unpacked once, read-only, and shared; each container gets its own
 * writable layer on top. The store returns mounts as data and never mounts anything itself: the caller mounts, so the
 * option strings stay testable and mounting happens in one place.
 */
public interface LayerStore {

    /**
     * Creates (or finds, if it exists already) the writable layer for container {@code containerId} on top of the
     * layer stack {@code chainId}, and says how to mount it.
     */
    Mount prepare(String containerId, String chainId);

    /** The mount for an existing container layer (after a daemon restart, say). */
    Mount mountFor(String containerId);

    /** Removes the container's writable layer; the caller has unmounted it. Quiet if there is none. */
    void remove(String containerId);

    /** The containers that have a writable layer here (start-up drops those without a container record). */
    java.util.Set<String> containerLayers();

    /** Bytes written by the container into its own layer (Docker's SizeRw). */
    long writableSize(String containerId);

    /**
     * One overlay mount: {@code mount -t overlay overlay -o <options> <target>}. For an image with no layers at all
     * the lower list still holds one empty directory, since overlayfs needs at least one lower layer.
     */
    record Mount(String type, String source, List<String> options, Path upperDir) {}
}
