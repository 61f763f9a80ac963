package dev.berth.image;

import dev.berth.common.AtomicFiles;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names of images: each reference points at one image id. Persisted as Docker's {@code repositories.json}
 * ({@code {"Repositories": {"busybox": {"busybox:latest": "sha256:..."}}}}), rewritten atomically on every change.
 * Not thread-safe: the image service calls it under its lock.
 */
final class ReferenceStore {
    private static final Logger log = LoggerFactory.getLogger(ReferenceStore.class);

    private final Path file;
    private final Map<ImageRef, String> refs = new LinkedHashMap<>();

    ReferenceStore(Path file) {
        this.file = file;
        if (Files.exists(file)) load();
    }

    Optional<String> get(ImageRef ref) {
        return Optional.ofNullable(refs.get(ref));
    }

    /** The references to {@code imageId}, sorted by their familiar string as Docker lists them. */
    List<ImageRef> referencesTo(String imageId) {
        return refs.entrySet().stream()
                .filter(e -> e.getValue().equals(imageId))
                .map(Map.Entry::getKey)
                .sorted(Comparator.comparing(ImageRef::toString))
                .toList();
    }

    /** Every tag (not digest reference) of the repository {@code fullName}, sorted. */
    List<ImageRef> tagsOf(String fullName) {
        return refs.keySet().stream()
                .filter(r -> !r.hasDigest() && r.fullName().equals(fullName))
                .sorted(Comparator.comparing(ImageRef::toString))
                .toList();
    }

    /** Points {@code ref} at {@code imageId}, moving it off whatever image it named before. */
    void put(ImageRef ref, String imageId) {
        String previous = refs.put(ref, imageId);
        if (!imageId.equals(previous)) save();
    }

    boolean remove(ImageRef ref) {
        if (refs.remove(ref) == null) return false;
        save();
        return true;
    }

    /** Drops references whose image is gone (a crash between deleting an image and its names). */
    void retainImages(Predicate<String> exists) {
        if (refs.values().removeIf(id -> !exists.test(id))) save();
    }

    private void save() {
        var repositories = new TreeMap<String, Map<String, String>>();
        for (var e : refs.entrySet()) {
            repositories.computeIfAbsent(e.getKey().familiarName(), k -> new TreeMap<>()).put(e.getKey().toString(), e.getValue());
        }
        AtomicFiles.write(file, Json.write(Map.of("Repositories", repositories)));
    }

    private void load() {
        Map<?, ?> root;
        try {
            root = Json.MAPPER.readValue(Files.readAllBytes(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        if (!(root.get("Repositories") instanceof Map<?, ?> repositories)) return;
        var skipped = new ArrayList<String>();
        for (Object repo : repositories.values()) {
            if (!(repo instanceof Map<?, ?> names)) continue;
            for (var e : names.entrySet()) {
                try {
                    refs.put(ImageRef.parse(String.valueOf(e.getKey())), Digest.parse(String.valueOf(e.getValue())).toString());
                } catch (RuntimeException ex) {
                    skipped.add(String.valueOf(e.getKey()));
                }
            }
        }
        if (!skipped.isEmpty()) log.warn("ignoring unreadable image references in {}: {}", file, skipped);
    }
}
