package dev.berth.image;

import java.io.InputStream;
import java.util.List;
import java.util.function.Predicate;

/**
 * Local images: names (references) pointing at image ids, each image a config blob plus its layers.
 *
 * <p>An image id is {@code sha256:<hex>} of its config JSON, as in Docker. Lookups by a user string follow Docker's
 * order: a full or prefixed id ({@code sha256:} optional, at least a short unique prefix), then a reference that is
 * normalized first ({@code busybox} means {@code docker.io/library/busybox:latest}).
 */
public interface ImageService {

    /** @throws dev.berth.common.EngineException.NotFound "No such image: {@code nameOrId}" */
    Image resolve(String nameOrId);

    List<Image> list();

    /**
     * Creates an image of one layer from a tar (plain, gzip, bzip2, xz or zstd: detected from its first bytes) of a
     * root filesystem. The layer is unpacked once and shared; the image is tagged {@code reference} if given.
     * Nothing is left behind if the stream is corrupt or refused.
     */
    Image importRootfs(InputStream tar, ImportOptions options);

    /** Adds {@code target} as a name for the image {@code source} resolves to (moving it off any other image). */
    void tag(String source, String target);

    /**
     * Docker's {@code image rm}: a name that is one of several on an image is untagged; the last name (or removal by
     * id) deletes the image and its layers that nothing else uses. {@code inUse} tells whether a container uses an
     * image id: such an image is refused with a Conflict unless {@code force}.
     *
     * @return what happened, in Docker's order: "Untagged" entries then "Deleted" entries
     */
    List<DeleteResponse> remove(String nameOrId, boolean force, boolean noPrune, Predicate<String> inUse);

    /**
     * One record of a removal, as Docker's delete response lists it: a name untagged, or an id deleted. {@code image}
     * tells an image's own Deleted record from those of the layers that went with it (Docker's events name only the
     * image).
     */
    record DeleteResponse(String untagged, String deleted, boolean image) {
        public static DeleteResponse untag(String reference) {
            return new DeleteResponse(reference, null, false);
        }

        public static DeleteResponse deletedImage(String imageId) {
            return new DeleteResponse(null, imageId, true);
        }

        public static DeleteResponse deletedLayer(String chainId) {
            return new DeleteResponse(null, chainId, false);
        }
    }

    /**
     * Docker's {@code save}: the images {@code names} resolve to (a repository name without a tag means all its
     * tags) as one docker-archive + OCI layout tar. Names and layers are checked here, so a refusal comes before the
     * first byte; {@link Archive#writeTo} then streams the archive.
     */
    default Archive save(List<String> names) {
        throw new UnsupportedOperationException("save");
    }

    /** A checked save, ready to stream. */
    interface Archive {
        /** The ids of the images in the archive. */
        List<String> imageIds();

        void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }

    /**
     * Docker's {@code load} of a docker-archive or OCI layout tar (plain or compressed; layers as tar, gzip or zstd).
     * Every layer is checked against its config's diff_id before anything becomes visible: a refused archive leaves
     * the store as it was. Names in the archive move off any image that had them.
     *
     * @return the lines Docker prints: "Loaded image: busybox:latest", "Loaded image ID: sha256:..."
     */
    default List<String> load(InputStream archive) {
        throw new UnsupportedOperationException("load");
    }

    /** The image's history, newest first, as {@code docker history} shows it. */
    default List<HistoryItem> history(String nameOrId) {
        throw new UnsupportedOperationException("history");
    }

    /** One history step: {@code id} is the image id for the top step and "&lt;missing&gt;" below it, as in Docker. */
    record HistoryItem(String id, long created, String createdBy, List<String> tags, long size, String comment) {}

    /**
     * Removes the images {@code select} picks that no container uses ({@code inUse}), untagging them first; layers go
     * when no image is left on them.
     */
    default PruneReport prune(Predicate<Image> select, Predicate<String> inUse) {
        throw new UnsupportedOperationException("prune");
    }

    record PruneReport(List<DeleteResponse> deleted, long spaceReclaimed) {}

    /** Disk use of images: all layers once, and per image the bytes of layers it shares with other images. */
    default DiskUsage diskUsage() {
        throw new UnsupportedOperationException("diskUsage");
    }

    record DiskUsage(long layersSize, List<ImageUsage> images) {}

    record ImageUsage(Image image, long sharedSize) {}

    /**
     * Docker's {@code commit}: a new image of {@code parentImageId}'s layers plus one made from {@code layerTar} (an
     * uncompressed layer tar; an empty one adds no layer), with the given config and one more history entry; tagged
     * {@code options.reference()} if given.
     */
    default Image commit(String parentImageId, InputStream layerTar, CommitOptions options) {
        throw new UnsupportedOperationException("commit");
    }

    /**
     * @param reference   tag for the new image, or null
     * @param config      the new image's runtime settings
     * @param containerId the container committed, written as the config's {@code container}
     * @param createdBy   the history entry's {@code created_by} (the container's command)
     */
    record CommitOptions(String reference, ImageConfig config, String comment, String author, String containerId,
                         String createdBy) {}

    /**
     * @param reference tag for the new image, or null for a dangling image
     * @param config    settings from {@code --change} (CMD, ENTRYPOINT, ENV, ...), or null
     * @param message   the commit message shown in history, or null
     */
    record ImportOptions(String reference, ImageConfig config, String message) {}
}
