package dev.berth.oci;

import dev.berth.common.EngineException;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;

/**
 * Docker's {@code --ulimit name=soft[:hard]}. {@code -1} means unlimited (RLIM_INFINITY). Names and messages follow
 * docker/go-units {@code ulimit.go}, which the CLI uses to parse the flag.
 */
public record Ulimit(String name, long soft, long hard) {

    /** go-units leaves {@code as} out on purpose ("doesn't seem usable with the way Docker inits a container"). */
    private static final Set<String> NAMES = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    public Ulimit {
        if (name == null || !NAMES.contains(name)) {
            throw EngineException.invalid("invalid ulimit type: %s", name);
        }
        if (hard != -1) {
            if (soft == -1) {
                throw EngineException.invalid(
                        "ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: %d", hard);
            }
            if (soft > hard) {
                throw EngineException.invalid(
                        "ulimit soft limit must be less than or equal to hard limit: %d > %d", soft, hard);
            }
        }
    }

    /** The runtime-spec rlimit type, e.g. {@code RLIMIT_NOFILE}. */
    public String rlimitType() {
        return "RLIMIT_" + name.toUpperCase(Locale.ROOT);
    }

    /** Go's {@code uint64(int64)}: -1 becomes 2^64-1, RLIM_INFINITY. */
    static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }
}
