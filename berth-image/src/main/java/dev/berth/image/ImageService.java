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

    record DeleteResponse(String untagged, String deleted) {}

    /**
     * @param reference tag for the new image, or null for a dangling image
     * @param config    settings from {@code --change} (CMD, ENTRYPOINT, ENV, ...), or null
     * @param message   the commit message shown in history, or null
     */
    record ImportOptions(String reference, ImageConfig config, String message) {}
}
