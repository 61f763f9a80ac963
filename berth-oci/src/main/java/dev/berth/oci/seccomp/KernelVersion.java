package dev.berth.oci.seccomp;

import dev.berth.common.EngineException;

import java.util.regex.Pattern;

/**
 * A kernel version as moby's seccomp profiles compare it: only the kernel version and major revision count, so
 * {@code 3.12.25-gentoo} and {@code 3.12-1-amd64} are both 3.12 (moby profiles/seccomp {@code kernel_linux.go}).
 */
public record KernelVersion(int kernel, int major) {

    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** Parses {@code uname -r} output such as {@code 6.18.44-fc-v769}. */
    public static KernelVersion ofRelease(String release) {
        var m = RELEASE.matcher(release);
        if (!m.find()) {
            throw EngineException.failure("failed to parse kernel version \"%s\"", release);
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Parses a profile's {@code minKernel}, which must be exactly {@code <kernel>.<major>} and not 0.0. */
    static KernelVersion ofMinKernel(String text) {
        var parts = text.split("\\.", -1);
        try {
            if (parts.length == 2) {
                var version = new KernelVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                if (version.kernel() >= 0 && version.major() >= 0 && version.kernel() <= 255 && version.major() <= 255
                        && !(version.kernel() == 0 && version.major() == 0)) {
                    return version;
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the profile's own text
        }
        throw EngineException.invalid("invalid kernel version: \"%s\", expected \"<kernel>.<major>\"", text);
    }

    public boolean atLeast(KernelVersion min) {
        return kernel > min.kernel || (kernel == min.kernel && major >= min.major);
    }

    @Override
    public String toString() {
        return kernel + "." + major;
    }
}
