package dev.berth.image;

/**
 * An image layer in the layer store: its content digest ({@code diffId}, sha256 of the uncompressed tar), its place
 * in a stack ({@code chainId}, which names it, and the {@code parent} chain id or null for a bottom layer) and the
 * bytes its files take unpacked. Digests are kept in their {@code sha256:<hex>} string form, as stored on disk.
 */
public record LayerInfo(String chainId, String diffId, String parent, long size) {
    public LayerInfo {
        Digest.parse(chainId);
        Digest.parse(diffId);
        if (parent != null) Digest.parse(parent);
        if (size < 0) throw new IllegalArgumentException("negative layer size " + size);
    }
}
