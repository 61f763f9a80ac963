package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.image.Image;
import dev.berth.image.ImageConfig;
import dev.berth.image.ImageService;
import dev.berth.image.LayerStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link ContainerService} on a temporary directory with a {@link FakeRuntime}, one image ({@code busybox}), layers
 * and mounts that exist only as data, and no OCI bundle written: what is left is the engine's own logic.
 */
final class ServiceFixture {
    static final Image BUSYBOX = new Image("sha256:" + "1".repeat(64), List.of("busybox:latest"), List.of(), null, null,
            Instant.EPOCH, null, "amd64", "linux",
            new ImageConfig(null, null, List.of("PATH=/bin"), null, List.of("sh"), null, null, null, null),
            List.of(), "sha256:" + "2".repeat(64), 0);

    final FakeRuntime runtime = new FakeRuntime();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final ContainerStore store;
    final Path root;
    final DataLayers layers;
    final NoMounts mounts = new NoMounts();
    ContainerService service;

    ServiceFixture(Path root) {
        this.root = root;
        this.store = new ContainerStore(root.resolve("containers"));
        this.layers = new DataLayers(root);
        this.service = newService();
    }

    /** A second service on the same disk state and runtime, as after a daemon restart. */
    ContainerService newService() {
        var bus = new EventBus();
        bus.subscribe(events::add);
        return new ContainerService(store, new OneImage(), layers, runtime, mounts,
                new NoBundle(), bus, root.resolve("bundles"));
    }

    static ContainerSpec spec(List<String> cmd, ContainerSpec.HostSettings host) {
        return new ContainerSpec("busybox", cmd, null, null, null, null, null, null, null, null, null,
                false, false, false, host);
    }

    static ContainerSpec spec(List<String> cmd) {
        return spec(cmd, ContainerSpec.HostSettings.DEFAULT);
    }

    List<String> actions(String id) {
        return events.stream().filter(e -> e.id().equals(id)).map(Event::action).toList();
    }

    /** Polls until {@code condition} holds for the container, failing after five seconds. */
    Container await(String id, Predicate<Container> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            Container c = service.list().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
            if (c != null && condition.test(c)) return c;
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached; container is " + c);
            Thread.sleep(5);
        }
    }

    /** An image service with {@link #BUSYBOX} alone, which neither imports, tags nor removes. */
    static class OneImage implements ImageService {
        @Override
        public Image resolve(String nameOrId) {
            if (nameOrId.equals("busybox") || nameOrId.equals(BUSYBOX.id())) return BUSYBOX;
            throw new EngineException.NotFound("No such image: " + nameOrId);
        }

        @Override
        public List<Image> list() {
            return List.of(BUSYBOX);
        }

        @Override
        public Image importRootfs(InputStream tar, ImportOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void tag(String source, String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DeleteResponse> remove(String nameOrId, boolean force, boolean noPrune, Predicate<String> inUse) {
            throw new UnsupportedOperationException();
        }
    }

    /** Layers as data; {@link #failRemove} makes the next removal of one fail. */
    static final class DataLayers implements LayerStore {
        private final Path root;
        final java.util.Set<String> prepared = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile RuntimeException failRemove;

        DataLayers(Path root) {
            this.root = root;
        }

        @Override
        public Mount prepare(String containerId, String chainId) {
            prepared.add(containerId);
            return mountFor(containerId);
        }

        @Override
        public Mount mountFor(String containerId) {
            return new Mount("overlay", "overlay", List.of("lowerdir=/x"), root.resolve("upper").resolve(containerId));
        }

        @Override
        public void remove(String containerId) {
            RuntimeException e = failRemove;
            failRemove = null;
            if (e != null) throw e;
            prepared.remove(containerId);
        }

        @Override
        public java.util.Set<String> containerLayers() {
            return java.util.Set.copyOf(prepared);
        }

        @Override
        public long writableSize(String containerId) {
            return 0;
        }
    }

    /** Mounts nothing; {@link #failUnmount} makes the next unmount fail. */
    static final class NoMounts implements RootfsMounter {
        volatile RuntimeException failUnmount;
        final List<Path> unmounted = new CopyOnWriteArrayList<>();

        @Override
        public void mount(LayerStore.Mount mount, Path target) { }

        @Override
        public void unmount(Path target) {
            unmounted.add(target);
            RuntimeException e = failUnmount;
            failUnmount = null;
            if (e != null) throw e;
        }
    }

    private static final class NoBundle extends BundleBuilder {
        @Override
        void write(Container c, Path bundle, Path rootfs, ContainerFiles.Written files) { }
    }
}
