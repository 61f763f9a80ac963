package dev.berth.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime-spec {@code config.json} (runtime-spec 1.0.2, as runc 1.1 reads it), as wire records. Names follow
 * the Go types of {@code opencontainers/runtime-spec/specs-go} so that {@code grep} finds them in the spec; property
 * names are the JSON names. A null component is left out of the JSON, as Go's {@code omitempty} does.
 *
 * <p>These records carry no logic: {@link dev.berth.oci.OciSpecs} builds them from the engine's settings.
 */
@JsonInclude(Include.NON_NULL)
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Linux linux,
        Map<String, String> annotations) {

    /** The version written into every spec; runc 1.1.5 reports {@code ociVersionMax: 1.0.2-dev}. */
    public static final String VERSION = "1.0.2";

    @JsonInclude(Include.NON_NULL)
    public record Process(
            boolean terminal,
            Box consoleSize,
            User user,
            List<String> args,
            List<String> env,
            String cwd,
            LinuxCapabilities capabilities,
            List<POSIXRlimit> rlimits,
            boolean noNewPrivileges,
            String apparmorProfile,
            Integer oomScoreAdj,
            String selinuxLabel) {}

    @JsonInclude(Include.NON_NULL)
    public record Box(int height, int width) {}

    /** Numeric ids only: the runtime never reads the container's {@code /etc/passwd}; we resolve names first. */
    @JsonInclude(Include.NON_NULL)
    public record User(long uid, long gid, List<Long> additionalGids) {}

    @JsonInclude(Include.NON_NULL)
    public record LinuxCapabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient) {}

    /** {@code soft} and {@code hard} are uint64 in Go; RLIM_INFINITY is 2^64-1, hence BigInteger. */
    @JsonInclude(Include.NON_NULL)
    public record POSIXRlimit(String type, BigInteger hard, BigInteger soft) {}

    @JsonInclude(Include.NON_NULL)
    public record Root(String path, boolean readonly) {}

    @JsonInclude(Include.NON_NULL)
    public record Mount(String destination, String type, String source, List<String> options) {}
}
