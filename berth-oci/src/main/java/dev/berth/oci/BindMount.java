package dev.berth.oci;

import dev.berth.common.EngineException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A bind mount the engine adds to the container: {@code /etc/hostname}, {@code /etc/hosts}, {@code /etc/resolv.conf},
 * and later volumes and {@code -v}/{@code --mount type=bind}. A mount here replaces Docker's default mount at the
 * same destination, and a mount on {@code /dev} replaces every default mount below {@code /dev}.
 *
 * @param nonRecursive {@code --mount type=bind,bind-recursive=disabled}: {@code bind} instead of {@code rbind}
 */
public record BindMount(Path source, String destination, boolean readOnly, Propagation propagation,
                        boolean nonRecursive) {

    public BindMount {
        if (source == null || !source.isAbsolute()) {
            throw EngineException.invalid("invalid mount config: bind source path must be absolute: %s", source);
        }
        if (destination == null || !destination.startsWith("/")) {
            throw EngineException.invalid("invalid mount config: mount path must be absolute: %s", destination);
        }
        if (propagation == null) {
            propagation = Propagation.RPRIVATE;
        }
    }

    /** Docker's default for binds: recursive, {@code rprivate} (volume/mounts parser, DefaultPropagationMode). */
    public static BindMount of(Path source, String destination, boolean readOnly) {
        return new BindMount(source, destination, readOnly, Propagation.RPRIVATE, false);
    }

    public enum Propagation {
        PRIVATE, RPRIVATE, SHARED, RSHARED, SLAVE, RSLAVE;

        /** The mount option string runc understands ({@code rprivate}, {@code rshared}, ...). */
        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
