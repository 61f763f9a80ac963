package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ConfigChanges;
import dev.berth.image.Image;
import dev.berth.image.ImageConfig;
import dev.berth.image.ImageRef;
import dev.berth.image.ImageService;
import dev.berth.image.LayerStore;
import dev.berth.sys.DirFd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Docker's {@code commit}: the container's writable layer (its overlay upper directory, whiteouts and opaque
 * directories turned into {@code .wh.} entries) becomes a new layer on top of its image's, and its config, with the
 * request's overrides and {@code --change} instructions applied, the new image's. A running container is paused
 * meanwhile (through {@link ContainerControls}, so it shows as paused) unless asked not to be. Publishes the
 * container event {@code commit}, as dockerd does.
 */
public final class ContainerCommit {
    private final ContainerService containers;
    private final ImageService images;
    private final LayerStore layers;
    private final ContainerControls controls;
    private final EventBus events;

    public ContainerCommit(ContainerService containers, ImageService images, LayerStore layers,
                           ContainerControls controls, EventBus events) {
        this.containers = containers;
        this.images = images;
        this.layers = layers;
        this.controls = controls;
        this.events = events;
    }

    /**
     * @param repo      repository for the new image's name, or null/empty for an untagged image
     * @param tag       its tag ("latest" if empty)
     * @param overrides settings from the request body, each non-null one replacing the container's
     * @param changes   Dockerfile instructions ({@code CMD ["sh"]}, {@code ENV A=b}, ...)
     */
    public record Request(String container, String repo, String tag, String comment, String author, boolean pause,
                          ImageConfig overrides, List<String> changes) {}

    public Image commit(Request r) {
        Container c = containers.get(r.container());
        String reference = null;
        if (r.repo() != null && !r.repo().isEmpty()) {
            reference = r.repo() + ":" + (r.tag() == null || r.tag().isEmpty() ? "latest" : r.tag());
        } else if (r.tag() != null && !r.tag().isEmpty()) {
            throw EngineException.invalid("invalid reference format: a tag needs a repository");
        }
        Image parent = images.resolve(c.imageId());
        ImageConfig config = merge(fromContainer(c, parent.config()), r.overrides());
        if (r.changes() != null && !r.changes().isEmpty()) config = ConfigChanges.apply(config, r.changes());
        String createdBy = String.join(" ", c.config().cmd() == null ? List.of() : c.config().cmd());
        var options = new ImageService.CommitOptions(reference, config, r.comment(), r.author(), c.id(), createdBy);

        boolean paused = false;
        if (r.pause() && c.state().status() == ContainerState.Status.RUNNING) {
            try {
                controls.pause(c.id()); // as dockerd: the container shows Paused, with pause and unpause events
                paused = true;
            } catch (EngineException.Conflict e) {
                // stopped or paused meanwhile: nothing is writing to the layer, or the user keeps it paused
            }
        }
        Image image;
        String upper = layers.mountFor(c.id()).upperDir().toString();
        try {
            image = commitLayer(images, parent.id(), options, "commit-" + c.id(), out -> {
                int fd = -1;
                try {
                    fd = DirFd.open(upper, DirFd.O_PATH | DirFd.O_DIRECTORY);
                    var tar = new TreeTar(out, true);
                    tar.addChildren(fd, "");
                    tar.finish();
                } finally {
                    DirFd.close(fd);
                }
            });
        } finally {
            if (paused) unpause(c.id());
        }
        var attrs = new LinkedHashMap<String, String>();
        attrs.put("comment", r.comment() == null ? "" : r.comment());
        attrs.put("imageID", image.id());
        attrs.put("imageRef", reference == null ? "" : ImageRef.parse(reference).toString()); // familiar, as dockerd
        attrs.put("image", c.imageRef());
        attrs.put("name", c.name());
        events.publish("container", "commit", c.id(), attrs);
        return image;
    }

    /** Writes a layer tar to {@code out}; returns only once the whole archive, end blocks included, is written. */
    @FunctionalInterface
    interface LayerWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Commits the layer {@code writer} writes, on a virtual thread named {@code name}, through a pipe the image
     * service reads. An image comes out of it only if the writer finished: a writer that fails part-way makes the
     * reader's next read past what it wrote fail (never a clean end of file, which would commit a partial layer),
     * and an image the service made all the same is removed again.
     */
    static Image commitLayer(ImageService images, String parentId, ImageService.CommitOptions options, String name,
                             LayerWriter writer) {
        var pipe = new LayerPipe(name, writer);
        Image image;
        try {
            image = images.commit(parentId, pipe, options);
        } catch (RuntimeException e) {
            pipe.abandon(); // a writer still blocked on the pipe fails instead of waiting forever
            Throwable cause = pipe.failure.get();
            if (cause instanceof EngineException ee) {
                ee.addSuppressed(e);
                throw ee;
            }
            if (cause != null) e.addSuppressed(cause);
            throw e;
        }
        pipe.abandon();
        if (!pipe.finished) {
            try {
                images.remove(image.id(), true, false, id -> false);
            } catch (RuntimeException e) {
                // it may be gone already; the refusal below is what matters
            }
            throw EngineException.failure("committing the container's changes: %s", pipe.problem());
        }
        return image;
    }

    /** The read side of the layer's pipe; the end of the stream is an end only after the writer finished. */
    private static final class LayerPipe extends InputStream {
        private final PipedInputStream in = new PipedInputStream(256 * 1024);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean finished;
        private final Thread writerThread;

        LayerPipe(String name, LayerWriter writer) {
            PipedOutputStream out;
            try {
                out = new PipedOutputStream(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writerThread = Thread.ofVirtual().name(name).start(() -> {
                try {
                    writer.write(out);
                    out.flush();
                    finished = true;
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                } finally {
                    // Only now, with the outcome recorded: the reader's end of file then knows which it was.
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // closing a pipe's write side only marks it closed
                    }
                }
            });
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) atEnd();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) atEnd();
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private void atEnd() throws IOException {
            if (finished) return;
            throw new IOException(problem(), failure.get());
        }

        String problem() {
            Throwable t = failure.get();
            String why = t == null ? "the writer stopped" : t.getMessage() == null ? t.toString() : t.getMessage();
            return "the layer was not written completely: " + why;
        }

        /** Closes the reading side (a writer blocked on it fails) and waits for the writer to end. */
        void abandon() {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to release
            }
            try {
                if (!writerThread.join(java.time.Duration.ofSeconds(30))) failure.compareAndSet(null,
                        new IOException("the layer's writer did not end"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The container's settings as an image config, its exposed ports included (the image's and those given at create,
     * as dockerd commits them; the image's alone for a container recorded before they were kept); volumes the image's.
     */
    private static ImageConfig fromContainer(Container c, ImageConfig image) {
        ContainerConfig cc = c.config();
        var ports = cc.exposedPorts().isEmpty() ? image.exposedPorts() : cc.exposedPorts();
        return new ImageConfig(emptyToNull(cc.user()), ports, cc.env(), cc.entrypoint(), cc.cmd(),
                image.volumes(), emptyToNull(cc.workingDir()), cc.labels(), emptyToNull(cc.stopSignal()), cc.healthcheck());
    }

    private static ImageConfig merge(ImageConfig base, ImageConfig o) {
        if (o == null) return base;
        return new ImageConfig(
                o.user() != null ? o.user() : base.user(),
                o.exposedPorts() != null ? o.exposedPorts() : base.exposedPorts(),
                o.env() != null ? o.env() : base.env(),
                o.entrypoint() != null ? o.entrypoint() : base.entrypoint(),
                o.cmd() != null ? o.cmd() : base.cmd(),
                o.volumes() != null ? o.volumes() : base.volumes(),
                o.workingDir() != null ? o.workingDir() : base.workingDir(),
                o.labels() != null ? o.labels() : base.labels(),
                o.stopSignal() != null ? o.stopSignal() : base.stopSignal(),
                o.healthcheck() != null ? o.healthcheck() : base.healthcheck());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private void unpause(String id) {
        try {
            controls.unpause(id);
        } catch (EngineException e) {
            // stopped, killed or unpaused by the user meanwhile
        }
    }
}
