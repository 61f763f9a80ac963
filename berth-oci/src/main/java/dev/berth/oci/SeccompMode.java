package dev.berth.oci;

/**
 * Docker's {@code --security-opt seccomp=...}: the built-in default profile, {@code unconfined}, or the text of a
 * profile file in Docker's format (which the client reads and sends inline).
 */
public sealed interface SeccompMode {

    SeccompMode DEFAULT = new Default();
    SeccompMode UNCONFINED = new Unconfined();

    static SeccompMode custom(String profileJson) {
        return new Custom(profileJson);
    }

    /** The default profile, except for privileged containers, which run without seccomp (as in Docker). */
    record Default() implements SeccompMode {}

    record Unconfined() implements SeccompMode {}

    /** Applied even to privileged containers, as Docker does for an explicit profile. */
    record Custom(String profileJson) implements SeccompMode {
        public Custom {
            if (profileJson == null || profileJson.isBlank()) {
                throw new IllegalArgumentException("custom seccomp profile must not be empty");
            }
        }
    }
}
