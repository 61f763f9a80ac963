package dev.berth.image;

import dev.berth.common.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes images as Docker 25+ {@code docker save} does: one tar that is both a docker-archive ({@code manifest.json},
 * {@code repositories}) and an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/}),
 * the docker-archive's paths pointing into the blobs so nothing is stored twice. Layers are uncompressed tars.
 *
 * <p>The archive is streamed: every blob's size and digest are known before its header is written (configs and
 * manifests are small, layer tars come back from their tar-split records), so no temporary copy is made. Entries
 * are sorted by name and carry fixed owners and times, so saving the same images twice gives the same bytes.
 */
final class ImageArchiveWriter {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";
    private static final FileTime EPOCH = FileTime.from(Instant.EPOCH);

    private ImageArchiveWriter() {}

    /** One image to save: its id, config bytes, layers (bottom first) and the names it is saved under. */
    /** {@code parent}: the image it was committed from if that is saved too (manifest.json's "Parent"), else null. */
    record SavedImage(String id, byte[] config, List<String> diffIds, List<String> chainIds, List<ImageRef> tags,
                      String parent) {}

    /** Where layer tars come from. */
    interface Layers {
        long tarSize(String chainId);

        void writeTar(String chainId, OutputStream out) throws IOException;
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Blob(long size, Content content) {}

    static void write(List<SavedImage> images, Layers layers, OutputStream out) throws IOException {
        var blobs = new TreeMap<String, Blob>();
        var manifestJson = new ArrayList<Map<String, Object>>();
        var index = new ArrayList<Map<String, Object>>();
        var repositories = new TreeMap<String, Map<String, String>>();
        for (SavedImage image : images) {
            Digest configDigest = Digest.parse(image.id());
            blobs.put(configDigest.hex(), bytes(image.config()));
            var layerPaths = new ArrayList<String>();
            var layerDescriptors = new ArrayList<Map<String, Object>>();
            for (int i = 0; i < image.diffIds().size(); i++) {
                Digest diffId = Digest.parse(image.diffIds().get(i));
                String chainId = image.chainIds().get(i);
                long size = layers.tarSize(chainId);
                blobs.putIfAbsent(diffId.hex(), new Blob(size, o -> layers.writeTar(chainId, o)));
                layerPaths.add(blobPath(diffId));
                layerDescriptors.add(descriptor(OCI_LAYER, diffId, size));
            }
            var manifest = new LinkedHashMap<String, Object>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", OCI_MANIFEST);
            manifest.put("config", descriptor(OCI_CONFIG, configDigest, image.config().length));
            manifest.put("layers", layerDescriptors);
            byte[] manifestBytes = Json.write(manifest);
            Digest manifestDigest = Digest.of(manifestBytes);
            blobs.put(manifestDigest.hex(), bytes(manifestBytes));

            var entry = new LinkedHashMap<String, Object>();
            entry.put("Config", blobPath(configDigest));
            entry.put("RepoTags", image.tags().isEmpty() ? null : image.tags().stream().map(ImageRef::toString).toList());
            entry.put("Layers", layerPaths);
            if (image.parent() != null) entry.put("Parent", image.parent());
            manifestJson.add(entry);

            if (image.tags().isEmpty()) {
                index.add(descriptor(OCI_MANIFEST, manifestDigest, manifestBytes.length));
            }
            for (ImageRef tag : image.tags()) {
                var d = descriptor(OCI_MANIFEST, manifestDigest, manifestBytes.length);
                var annotations = new LinkedHashMap<String, String>();
                annotations.put(CONTAINERD_NAME, tag.fullName() + ":" + tag.tag());
                annotations.put(OCI_REF_NAME, tag.tag());
                d.put("annotations", annotations);
                index.add(d);
                repositories.computeIfAbsent(tag.familiarName(), k -> new TreeMap<>()).put(tag.tag(), configDigest.hex());
            }
        }
        var indexJson = new LinkedHashMap<String, Object>();
        indexJson.put("schemaVersion", 2);
        indexJson.put("mediaType", OCI_INDEX);
        indexJson.put("manifests", index);

        var tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        for (var blob : blobs.entrySet()) file(tar, "blobs/sha256/" + blob.getKey(), blob.getValue());
        file(tar, "index.json", bytes(Json.write(indexJson)));
        file(tar, "manifest.json", bytes(Json.write(manifestJson)));
        file(tar, "oci-layout", bytes("{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));
        if (!repositories.isEmpty()) file(tar, "repositories", bytes(Json.write(repositories)));
        tar.finish();
        out.flush();
    }

    static String blobPath(Digest d) {
        return "blobs/sha256/" + d.hex();
    }

    private static LinkedHashMap<String, Object> descriptor(String mediaType, Digest digest, long size) {
        var d = new LinkedHashMap<String, Object>();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    private static Blob bytes(byte[] b) {
        return new Blob(b.length, o -> o.write(b));
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        var e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(EPOCH);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, Blob blob) throws IOException {
        var e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setModTime(EPOCH);
        e.setSize(blob.size());
        tar.putArchiveEntry(e);
        var counting = new CountingOutput(tar);
        blob.content().writeTo(counting);
        if (counting.count != blob.size()) {
            throw new IOException(name + " changed while it was saved: " + counting.count + " bytes instead of " + blob.size());
        }
        tar.closeArchiveEntry();
    }

    /** Counts without closing: the tar stream stays open for the next entry. */
    private static final class CountingOutput extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
