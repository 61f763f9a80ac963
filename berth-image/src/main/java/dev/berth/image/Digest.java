package dev.berth.image;

import dev.berth.common.EngineException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code sha256:<64 lowercase hex>}: the name of a config blob, a layer's diff_id or chain_id.
 * Only sha256 is accepted, as it is the only algorithm Docker writes for local content.
 */
public record Digest(String hex) {
    public static final String SHA256 = "sha256";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw EngineException.invalid("invalid checksum digest format: %s", hex);
        }
    }

    /** Parses {@code sha256:<hex>}. */
    public static Digest parse(String digest) {
        if (digest == null || !digest.startsWith(SHA256 + ":")) {
            throw EngineException.invalid("invalid checksum digest format: %s", digest);
        }
        String hex = digest.substring(SHA256.length() + 1);
        if (hex.length() != 64) throw EngineException.invalid("invalid checksum digest length");
        return new Digest(hex);
    }

    public static Digest of(byte[] content) {
        return fromHash(newSha256().digest(content));
    }

    public static Digest fromHash(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    /**
     * The chain id of a layer on top of {@code parent}: the diff_id itself for a bottom layer, else
     * sha256 of {@code "<parent chain id> <diff_id>"} (OCI image spec, "Layer ChainID").
     */
    public static Digest chainId(Digest parent, Digest diffId) {
        if (parent == null) return diffId;
        return of((parent + " " + diffId).getBytes(StandardCharsets.US_ASCII));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** The 12-character form Docker prints. */
    public String shortId() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return SHA256 + ":" + hex;
    }
}
