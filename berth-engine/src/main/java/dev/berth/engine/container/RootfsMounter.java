package dev.berth.engine.container;

import dev.berth.image.LayerStore;
import java.nio.file.Path;

/** Mounts and unmounts a container's root filesystem: the one place the engine changes the mount table. */
public interface RootfsMounter {
    /** Mounts {@code mount} at {@code target} unless something is mounted there already. */
    void mount(LayerStore.Mount mount, Path target);

    /** Unmounts {@code target} (lazily, so a busy mount cannot wedge a stop); quiet if nothing is mounted. */
    void unmount(Path target);
}
