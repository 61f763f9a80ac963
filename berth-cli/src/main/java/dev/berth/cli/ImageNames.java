package dev.berth.cli;

/** Splitting references the way the CLI sends them to the daemon. */
final class ImageNames {
    private ImageNames() {
    }

    /** {@code [repository, tag]}; the tag is {@code latest} when none is given ({@code localhost:5000/a} has none). */
    static String[] splitTag(String reference) {
        String ref = reference;
        int at = ref.indexOf('@');
        if (at >= 0) return new String[] {ref.substring(0, at), ref.substring(at + 1)};
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
        return new String[] {ref, "latest"};
    }

    /** {@code [repository, tag]} with an empty tag when none is given (import and tag leave the default to the daemon). */
    static String[] splitOptionalTag(String reference) {
        int colon = reference.lastIndexOf(':');
        if (colon > reference.lastIndexOf('/')) return new String[] {reference.substring(0, colon), reference.substring(colon + 1)};
        return new String[] {reference, ""};
    }

    /** An image ID as tables show it: without {@code sha256:}, 12 digits. */
    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
