package dev.berth.cli;

import dev.berth.common.ByteSizes;

/** A size flag ({@code -m 512m}) read as Docker reads it, refused with Docker's flag wording. */
final class Sizes {
    private Sizes() {
    }

    static long ramInBytes(String text, String flag) {
        try {
            return ByteSizes.ramInBytes(text.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageError("invalid argument \"" + text + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }
}
