package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.image.Image;
import dev.berth.image.ImageService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ContainerCommitTest {
    private static final ImageService.CommitOptions OPTIONS = new ImageService.CommitOptions(null, null, null, null, "c", "");

    /** Commits what it reads: all of it, or (with {@code limit}) that many bytes, as a reader that stops early. */
    private static final class Images extends ServiceFixture.OneImage {
        final List<byte[]> committed = new CopyOnWriteArrayList<>();
        final List<String> removed = new CopyOnWriteArrayList<>();
        final int limit;

        Images(int limit) {
            this.limit = limit;
        }

        @Override
        public Image commit(String parentImageId, InputStream layerTar, CommitOptions options) {
            try {
                byte[] layer = limit < 0 ? layerTar.readAllBytes() : layerTar.readNBytes(limit);
                committed.add(layer);
                return ServiceFixture.BUSYBOX;
            } catch (IOException e) {
                throw new UncheckedIOException("unpacking a layer: " + e.getMessage(), e);
            }
        }

        @Override
        public List<DeleteResponse> remove(String nameOrId, boolean force, boolean noPrune, Predicate<String> inUse) {
            removed.add(nameOrId);
            return List.of();
        }
    }

    @Test
    void aWriterThatFailsPartWay_isNoCleanEndOfTheLayer_andNoImage() {
        var images = new Images(-1);
        assertThatThrownBy(() -> ContainerCommit.commitLayer(images, "p", OPTIONS, "t", out -> {
            out.write(new byte[100_000]);
            throw new IOException("readlink x: No such file or directory");
        })).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("the layer was not written completely: readlink x: No such file or directory");
        assertThat(images.committed).isEmpty();
    }

    @Test
    void aWriterThatFailsWithAnEngineError_isWhatTheCommitSays() {
        var images = new Images(-1);
        assertThatThrownBy(() -> ContainerCommit.commitLayer(images, "p", OPTIONS, "t", out -> {
            out.write(1);
            throw EngineException.notFound("gone");
        })).isInstanceOf(EngineException.NotFound.class).hasMessage("gone");
        assertThat(images.committed).isEmpty();
    }

    @Test
    void anImageMadeOfLessThanTheWholeLayer_isRemovedAgain_andRefused() {
        var images = new Images(10);
        assertThatThrownBy(() -> ContainerCommit.commitLayer(images, "p", OPTIONS, "t", out -> {
            out.write(new byte[1_000_000]); // more than the pipe holds: blocks until the reader gives up
        })).isInstanceOf(EngineException.SystemFailure.class)
                .hasMessageStartingWith("committing the container's changes: the layer was not written completely");
        assertThat(images.removed).containsExactly(ServiceFixture.BUSYBOX.id());
    }

    @Test
    void aWholeLayer_isCommitted() {
        var images = new Images(-1);
        var expected = new ByteArrayOutputStream();
        Image image = ContainerCommit.commitLayer(images, "p", OPTIONS, "t", out -> {
            for (int i = 0; i < 2000; i++) {
                byte[] chunk = ("line " + i + "\n").getBytes();
                out.write(chunk);
                expected.write(chunk);
            }
        });
        assertThat(image).isEqualTo(ServiceFixture.BUSYBOX);
        assertThat(images.committed).singleElement().isEqualTo(expected.toByteArray());
        assertThat(images.removed).isEmpty();
    }
}
