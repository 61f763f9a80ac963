package dev.berth.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of {@code GET /info} that the daemon's configuration decides, as dockerd fills them: read from the
 * current configuration at each request, so a SIGHUP shows at once.
 */
final class ConfiguredInfo {
    private ConfiguredInfo() {}

    /** Registries on loopback are insecure in dockerd whatever the configuration says. */
    static final List<String> ALWAYS_INSECURE = List.of("::1/128", "127.0.0.0/8");

    static Map<String, Object> of(DaemonConfig c) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Debug", c.debug());
        m.put("Driver", c.storageDriver());
        m.put("LoggingDriver", c.logDriver());
        m.put("Labels", c.labels());
        m.put("LiveRestoreEnabled", c.liveRestore());
        m.put("DefaultRuntime", c.defaultRuntime());
        m.put("Runtimes", runtimes(c));
        m.put("RegistryConfig", registryConfig(c));
        m.put("DefaultAddressPools", c.defaultAddressPools().stream().map(p -> Map.of("Base", p.base(), "Size", p.size())).toList());
        m.put("Warnings", c.warnings());
        return m;
    }

    private static Map<String, Object> runtimes(DaemonConfig c) {
        var m = new LinkedHashMap<String, Object>();
        m.put("runc", Map.of("path", c.runtime().toString()));
        c.runtimes().forEach((name, r) -> {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("path", r.path());
            if (!r.runtimeArgs().isEmpty()) entry.put("runtimeArgs", r.runtimeArgs());
            m.put(name, entry);
        });
        return m;
    }

    /** docker info lists IndexConfigs that are not Secure and the CIDRs as "Insecure Registries", Mirrors as mirrors. */
    private static Map<String, Object> registryConfig(DaemonConfig c) {
        var cidrs = new ArrayList<>(ALWAYS_INSECURE);
        var indexes = new LinkedHashMap<String, Object>();
        indexes.put("docker.io", index("docker.io", c.registryMirrors(), true, true));
        for (String r : c.insecureRegistries()) {
            if (r.contains("/")) {
                if (!cidrs.contains(r)) cidrs.add(r);
            } else {
                indexes.put(r, index(r, List.of(), false, false));
            }
        }
        var m = new LinkedHashMap<String, Object>();
        m.put("InsecureRegistryCIDRs", cidrs);
        m.put("IndexConfigs", indexes);
        m.put("Mirrors", c.registryMirrors());
        return m;
    }

    private static Map<String, Object> index(String name, List<String> mirrors, boolean secure, boolean official) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Name", name);
        m.put("Mirrors", mirrors);
        m.put("Secure", secure);
        m.put("Official", official);
        return m;
    }
}
