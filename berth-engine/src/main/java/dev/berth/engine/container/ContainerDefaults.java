package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.image.Image;
import dev.berth.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's rules for combining a create request with the image's defaults, applied once at create. */
final class ContainerDefaults {
    private ContainerDefaults() {}

    static ContainerConfig merge(ContainerSpec spec, Image image) {
        // daemon/container.go verifyContainerSettings: refused at create, not left to fail at start
        if (spec.workingDir() != null && !spec.workingDir().isEmpty() && !spec.workingDir().startsWith("/")) {
            throw EngineException.invalid("the working directory '%s' is invalid, it needs to be an absolute path", spec.workingDir());
        }
        if (spec.healthcheck() != null) spec.healthcheck().validate();
        ImageConfig ic = image.config() == null ? ImageConfig.EMPTY : image.config();
        List<String> entrypoint;
        List<String> cmd;
        if (spec.entrypoint() != null) {
            // An entrypoint given at create replaces the image's and drops the image's CMD as well.
            entrypoint = spec.entrypoint().size() == 1 && spec.entrypoint().getFirst().isEmpty() ? List.of() : spec.entrypoint();
            cmd = spec.cmd() != null ? spec.cmd() : List.of();
        } else {
            entrypoint = ic.entrypoint();
            cmd = spec.cmd() != null && !spec.cmd().isEmpty() ? spec.cmd() : ic.cmd();
        }
        String hostname = emptyToNull(spec.hostname());
        if (hostname == null && "host".equals(spec.host().networkMode())) hostname = hostHostname(); // as dockerd does
        return new ContainerConfig(
                hostname,
                nullToEmpty(spec.domainname()),
                spec.user() != null && !spec.user().isEmpty() ? spec.user() : nullToEmpty(ic.user()),
                mergeEnv(ic.env(), spec.env()),
                cmd,
                entrypoint,
                spec.image(),
                spec.workingDir() != null && !spec.workingDir().isEmpty() ? spec.workingDir() : nullToEmpty(ic.workingDir()),
                mergeLabels(ic.labels(), spec.labels()),
                spec.stopSignal() != null && !spec.stopSignal().isEmpty() ? spec.stopSignal() : ic.stopSignal(),
                spec.stopTimeout(),
                spec.tty(),
                spec.openStdin(),
                spec.stdinOnce(),
                dev.berth.image.Healthcheck.merge(spec.healthcheck(), ic.healthcheck()),
                mergeExposedPorts(ic.exposedPorts(), spec.exposedPorts()));
    }

    private static final java.util.regex.Pattern PORT_KEY = java.util.regex.Pattern.compile("(\\d{1,5})(?:/(tcp|udp|sctp))?");

    /**
     * The image's EXPOSE and the request's ports together, as dockerd merges them: each once, as {@code port/proto}
     * ({@code 80} is {@code 80/tcp}), sorted by port then protocol. A request's key that is not a port is a 400; an
     * image's is left out (the image was accepted when it was made).
     */
    static List<String> mergeExposedPorts(List<String> image, List<String> create) {
        var out = new java.util.TreeSet<String>(java.util.Comparator
                .comparingInt((String k) -> Integer.parseInt(k.substring(0, k.indexOf('/'))))
                .thenComparing(k -> k.substring(k.indexOf('/') + 1)));
        if (image != null) {
            for (String key : image) portKey(key).ifPresent(out::add);
        }
        if (create != null) {
            for (String key : create) {
                out.add(portKey(key).orElseThrow(() -> EngineException.invalid("invalid port specification: \"%s\"", key)));
            }
        }
        return List.copyOf(out);
    }

    private static java.util.Optional<String> portKey(String key) {
        var m = PORT_KEY.matcher(key.toLowerCase(java.util.Locale.ROOT));
        if (!m.matches() || Integer.parseInt(m.group(1)) > 65535) return java.util.Optional.empty();
        return java.util.Optional.of(Integer.parseInt(m.group(1)) + "/" + (m.group(2) == null ? "tcp" : m.group(2)));
    }

    /** Image variables first; a variable set at create replaces the image's value of the same name. */
    static List<String> mergeEnv(List<String> image, List<String> create) {
        var byName = new LinkedHashMap<String, String>();
        for (List<String> list : new ArrayList<>(java.util.Arrays.asList(image, create))) {
            if (list == null) continue;
            for (String kv : list) {
                int eq = kv.indexOf('=');
                byName.put(eq < 0 ? kv : kv.substring(0, eq), kv);
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static Map<String, String> mergeLabels(Map<String, String> image, Map<String, String> create) {
        var m = new LinkedHashMap<String, String>();
        if (image != null) m.putAll(image);
        if (create != null) m.putAll(create);
        return m;
    }

    /** The host's name: a container on the host's network shares the host's UTS namespace and shows its name. */
    static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return null; // the container's short id, as for other networks
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
