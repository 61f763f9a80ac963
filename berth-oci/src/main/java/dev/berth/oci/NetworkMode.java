package dev.berth.oci;

/**
 * Which network namespace the container runs in. {@code --network none} gets a new namespace with only loopback
 * (runc brings {@code lo} up); {@code --network host} shares the engine's; a bridge network is a namespace the engine
 * prepared at a path; {@code --network container:x} joins another container's.
 */
public sealed interface NetworkMode {

    NetworkMode NONE = new None();
    NetworkMode HOST = new Host();

    /** A namespace owned by this container, so Docker's per-namespace default sysctls apply. */
    boolean ownNamespace();

    static NetworkMode path(String nsPath) {
        return new Path(nsPath);
    }

    static NetworkMode container(String nsPath) {
        return new Container(nsPath);
    }

    record None() implements NetworkMode {
        public boolean ownNamespace() { return true; }
    }

    record Host() implements NetworkMode {
        public boolean ownNamespace() { return false; }
    }

    /** A namespace the engine created for this container (for example {@code /run/netns/<id>}). */
    record Path(String nsPath) implements NetworkMode {
        public Path {
            requireAbsolute(nsPath);
        }

        public boolean ownNamespace() { return true; }
    }

    /** Another container's namespace ({@code /proc/<pid>/ns/net}); its sysctls are not ours to set. */
    record Container(String nsPath) implements NetworkMode {
        public Container {
            requireAbsolute(nsPath);
        }

        public boolean ownNamespace() { return false; }
    }

    private static void requireAbsolute(String nsPath) {
        if (nsPath == null || !nsPath.startsWith("/")) {
            throw new IllegalArgumentException("network namespace path must be absolute: " + nsPath);
        }
    }
}
