package dev.berth.daemon;

import dev.berth.daemon.ConfigSources.Values;
import dev.berth.engine.logs.LogConfig;
import dev.berth.engine.network.BridgeNetwork;
import dev.berth.engine.network.Subnet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The daemon's settings: flags merged with daemon.json as dockerd does it (see {@link ConfigSources}). Options the
 * engine does not act on yet are still parsed and checked, so a file written for dockerd is accepted or refused as
 * dockerd would, and {@code info} shows them where Docker does.
 *
 * @param flags the options given as flags, by daemon.json key: a reload checks the file against them again
 * @param configFile the file read, or would-be read (the default path when it does not exist)
 * @param group the unix sockets' group as given (null: {@code docker} where that group exists, else root)
 */
public record DaemonConfig(
        Map<String, JsonNode> flags,
        Path configFile,
        List<String> hosts,
        Path dataRoot,
        Path execRoot,
        Path pidFile,
        boolean debug,
        Path conmon,
        Path runtime,
        String group,
        Tls tls,
        boolean liveRestore,
        String logDriver,
        Map<String, String> logOpts,
        String bridge,
        String bip,
        List<AddressPool> defaultAddressPools,
        boolean iptables,
        boolean userlandProxy,
        List<String> insecureRegistries,
        List<String> registryMirrors,
        int maxConcurrentDownloads,
        int maxConcurrentUploads,
        String defaultRuntime,
        Map<String, RuntimeEntry> runtimes,
        Map<String, Ulimit> defaultUlimits,
        List<String> labels,
        String storageDriver) {

    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/berth/daemon.json");

    /** The Linux bridge of the default {@code bridge} network unless {@code --bridge} names another. */
    public static final String DEFAULT_BRIDGE = "berth0";

    /** {@code --bridge none}: the daemon has no default bridge network. */
    public static final String NO_BRIDGE = "none";

    /**
     * TLS for the tcp listeners: {@code enabled} serves TLS with the certificate and key; {@code verify} also
     * requires a client certificate signed by {@code caCert}.
     */
    public record Tls(boolean enabled, boolean verify, Path caCert, Path cert, Path key) {
        static final Tls OFF = new Tls(false, false, null, null, null);
    }

    /** A range the daemon carves networks of {@code size} bits out of. */
    public record AddressPool(String base, int size) {}

    /** An extra OCI runtime registered by name. */
    public record RuntimeEntry(String path, List<String> runtimeArgs) {}

    /** A default ulimit for containers. */
    public record Ulimit(String name, long soft, long hard) {}

    /** The log drivers a container may be given: json-file is the default, as in Docker. */

    static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
            "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    /**
     * Merges {@code flags} (daemon.json keys to the values given on the command line) with the file and checks every
     * value. {@code env} supplies DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, dockerd's defaults for the TLS flags.
     */
    public static DaemonConfig resolve(Map<String, JsonNode> flags, Path configFile, Map<String, String> env) throws IOException {
        Path file = configFile != null ? configFile : DEFAULT_CONFIG_FILE;
        Map<String, JsonNode> fromFile = ConfigSources.readFile(file, configFile != null);
        ConfigSources.refuseConflicts(flags, fromFile, file);
        var merged = new LinkedHashMap<String, JsonNode>(fromFile);
        merged.putAll(flags);
        try {
            return build(Map.copyOf(flags), file, new Values(merged), env);
        } catch (ConfigSources.BadValue e) {
            throw fromFile.containsKey(e.key) ? ConfigSources.fileError(file, e.getMessage()) : e;
        }
    }

    /**
     * This configuration with the reloadable options read again from the file (SIGHUP); the rest stays as the daemon
     * started with it. A file that does not pass leaves everything as it was, as with dockerd.
     */
    public DaemonConfig reload(Map<String, String> env) throws IOException {
        DaemonConfig fresh = resolve(flags, configFile, env);
        return new DaemonConfig(flags, configFile, hosts, dataRoot, execRoot, pidFile, fresh.debug, conmon, runtime, group, tls,
                fresh.liveRestore, logDriver, logOpts, bridge, bip, defaultAddressPools, iptables, userlandProxy,
                fresh.insecureRegistries, fresh.registryMirrors, fresh.maxConcurrentDownloads, fresh.maxConcurrentUploads,
                defaultRuntime, runtimes, defaultUlimits, fresh.labels, storageDriver);
    }

    private static DaemonConfig build(Map<String, JsonNode> flags, Path file, Values v, Map<String, String> env) {
        Path execRoot = Path.of(v.string("exec-root", "/run/berth"));
        Tls tls = tls(v, env);
        var hosts = new ArrayList<String>();
        for (String h : v.strings("hosts")) hosts.add(Hosts.normalize(h, tls.enabled()));
        if (hosts.isEmpty()) hosts.add(Hosts.DEFAULT);
        String logDriver = v.string("log-driver", "json-file");
        if (!LogConfig.DRIVERS.contains(logDriver)) {
            throw Values.invalid("log-driver", "no log driver named '" + logDriver + "' is registered (use one of "
                    + String.join(", ", new java.util.TreeSet<>(LogConfig.DRIVERS)) + ")");
        }
        try {
            new LogConfig(logDriver, v.stringMap("log-opts")).validated();
        } catch (dev.berth.common.EngineException e) {
            throw Values.invalid("log-opts", e.getMessage());
        }
        String storageDriver = v.string("storage-driver", "overlay2");
        if (!storageDriver.equals("overlay2")) {
            throw Values.invalid("storage-driver", "driver not supported: " + storageDriver + " (berthd stores layers with overlay2)");
        }
        var runtimes = runtimes(v);
        String defaultRuntime = v.string("default-runtime", "runc");
        if (!defaultRuntime.equals("runc") && !runtimes.containsKey(defaultRuntime)) {
            throw Values.invalid("default-runtime", "the default runtime " + defaultRuntime + " is not among the configured runtimes");
        }
        String bridge = bridgeName(v);
        String bip = bip(v, bridge);
        return new DaemonConfig(flags, file, List.copyOf(hosts),
                Path.of(v.string("data-root", "/var/lib/berth")),
                execRoot,
                Path.of(v.string("pidfile", execRoot.resolve("berthd.pid").toString())),
                v.bool("debug", false),
                Path.of(v.string("conmon", "/usr/bin/conmon")),
                Path.of(v.string("runtime", "/usr/sbin/runc")),
                v.has("group") ? v.string("group", null) : null,
                tls,
                v.bool("live-restore", false),
                logDriver,
                v.stringMap("log-opts"),
                bridge,
                bip,
                addressPools(v),
                v.bool("iptables", true),
                v.bool("userland-proxy", true),
                insecureRegistries(v),
                registryMirrors(v),
                nonNegative(v, "max-concurrent-downloads", 3),
                nonNegative(v, "max-concurrent-uploads", 5),
                defaultRuntime,
                runtimes,
                ulimits(v),
                labels(v),
                storageDriver);
    }

    /** dockerd's TLS defaults: --tlsverify implies --tls; the files default to $DOCKER_CERT_PATH or ~/.docker. */
    private static Tls tls(Values v, Map<String, String> env) {
        boolean verifyFromEnv = env.getOrDefault("DOCKER_TLS_VERIFY", "").length() > 0;
        boolean verify = v.bool("tlsverify", verifyFromEnv);
        boolean enabled = v.bool("tls", false) || verify;
        if (!enabled) return Tls.OFF;
        String certDir = env.getOrDefault("DOCKER_CERT_PATH", "");
        Path dir = certDir.isEmpty() ? Path.of(System.getProperty("user.home"), ".docker") : Path.of(certDir);
        return new Tls(true, verify,
                Path.of(v.string("tlscacert", dir.resolve("ca.pem").toString())),
                Path.of(v.string("tlscert", dir.resolve("cert.pem").toString())),
                Path.of(v.string("tlskey", dir.resolve("key.pem").toString())));
    }

    private static int nonNegative(Values v, String key, int dflt) {
        int n = v.integer(key, dflt);
        if (n < 0) throw Values.invalid(key, "must not be negative, got " + n);
        return n;
    }

    /** Labels are {@code key=value}; one key with two values is refused, as dockerd does. */
    private static List<String> labels(Values v) {
        var seen = new LinkedHashMap<String, String>();
        for (String label : v.strings("labels")) {
            int eq = label.indexOf('=');
            if (eq <= 0) throw Values.invalid("labels", "bad attribute format: " + label);
            String key = label.substring(0, eq);
            String old = seen.putIfAbsent(key, label);
            if (old != null && !old.equals(label)) {
                throw Values.invalid("labels", "conflict labels for " + key + ": " + old + " and " + label);
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(seen.values()));
    }

    /** {@code host[:port]} or a CIDR; a scheme is refused as dockerd refuses it. */
    private static List<String> insecureRegistries(Values v) {
        for (String r : v.strings("insecure-registries")) {
            if (r.contains("://")) throw Values.invalid("insecure-registries", "insecure registry " + r + " should not contain '://'");
            if (r.isBlank()) throw Values.invalid("insecure-registries", "an empty registry name");
            if (r.contains("/")) Cidr.parse("insecure-registries", r);
        }
        return v.strings("insecure-registries");
    }

    /** http(s) URLs without query or fragment, given a trailing slash as dockerd does. */
    private static List<String> registryMirrors(Values v) {
        var out = new ArrayList<String>();
        for (String m : v.strings("registry-mirrors")) {
            URI uri;
            try {
                uri = new URI(m);
            } catch (java.net.URISyntaxException e) {
                throw Values.invalid("registry-mirrors", "invalid mirror: " + m);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw Values.invalid("registry-mirrors", "invalid mirror: unsupported scheme \"" + uri.getScheme() + "\" in \"" + m + "\"");
            }
            if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                throw Values.invalid("registry-mirrors", "invalid mirror: \"" + m + "\" must be an http(s) URL without query or fragment");
            }
            out.add(m.endsWith("/") ? m : m + "/");
        }
        return List.copyOf(out);
    }

    /**
     * The default bridge's interface name: berth0 when not given (an empty string as in dockerd's own file), none
     * for no default bridge; else a name the kernel takes (IFNAMSIZ: at most 15 bytes, no '/', ':' or blanks).
     */
    private static String bridgeName(Values v) {
        String name = v.string("bridge", "");
        if (name.isEmpty()) return DEFAULT_BRIDGE;
        if (name.length() > 15 || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw Values.invalid("bridge", "invalid bridge name " + name
                    + ": at most 15 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        return name;
    }

    /**
     * The default bridge's gateway address with the subnet's prefix ({@code 10.213.7.1/24}); empty when not given.
     * The address must be a host of its subnet: neither the subnet's own address nor its broadcast address.
     */
    private static String bip(Values v, String bridge) {
        String bip = v.string("bip", "");
        if (bip.isEmpty()) return bip;
        if (bridge.equals(NO_BRIDGE)) {
            throw Values.invalid("bip", "the default bridge's address is set, but \"bridge\" is none (no default bridge)");
        }
        int prefix = Cidr.parse("bip", bip);
        if (prefix < 8 || prefix > 30) {
            throw Values.invalid("bip", bip + ": the prefix length must be between 8 and 30");
        }
        var subnet = Subnet.parse(bip);
        int address = BridgeNetwork.toInt(bip.substring(0, bip.indexOf('/')));
        if (address == subnet.network() || address == subnet.last()) {
            throw Values.invalid("bip", bip + " is not a host address of its subnet; give the gateway's address, as in "
                    + "10.213.7.1/24");
        }
        return bip;
    }

    private static List<AddressPool> addressPools(Values v) {
        JsonNode n = v.node("default-address-pools");
        if (n == null) return List.of();
        if (!n.isArray()) throw Values.bad("default-address-pools", n, "a list of {\"base\": CIDR, \"size\": bits}");
        var out = new ArrayList<AddressPool>();
        for (JsonNode p : n) {
            if (!p.isObject() || !p.path("base").isString() || !p.path("size").isIntegralNumber()) {
                throw Values.bad("default-address-pools", p, "{\"base\": CIDR, \"size\": bits}");
            }
            var pool = new AddressPool(p.get("base").asString(), p.get("size").intValue());
            int prefix = Cidr.parse("default-address-pools", pool.base());
            if (pool.size() < prefix || pool.size() > 32) {
                throw Values.invalid("default-address-pools", "size " + pool.size() + " of " + pool.base()
                        + " must be between the prefix length and 32");
            }
            out.add(pool);
        }
        return List.copyOf(out);
    }

    private static Map<String, RuntimeEntry> runtimes(Values v) {
        JsonNode n = v.node("runtimes");
        if (n == null) return Map.of();
        if (!n.isObject()) throw Values.bad("runtimes", n, "an object of runtimes by name");
        var out = new TreeMap<String, RuntimeEntry>();
        for (var e : n.properties()) {
            if (e.getKey().equals("runc")) throw Values.invalid("runtimes", "runtime name 'runc' is reserved");
            JsonNode r = e.getValue();
            if (!r.isObject() || !r.path("path").isString() || r.get("path").asString().isBlank()) {
                throw Values.invalid("runtimes", "runtime " + e.getKey() + " needs a \"path\"");
            }
            var args = new ArrayList<String>();
            JsonNode a = r.path("runtimeArgs");
            if (!a.isMissingNode()) {
                if (!a.isArray()) throw Values.invalid("runtimes", "runtimeArgs of " + e.getKey() + " must be a list of strings");
                a.forEach(x -> args.add(x.asString()));
            }
            out.put(e.getKey(), new RuntimeEntry(r.get("path").asString(), List.copyOf(args)));
        }
        return out;
    }

    private static Map<String, Ulimit> ulimits(Values v) {
        JsonNode n = v.node("default-ulimits");
        if (n == null) return Map.of();
        if (!n.isObject()) throw Values.bad("default-ulimits", n, "an object of {\"Name\", \"Soft\", \"Hard\"} by name");
        var out = new TreeMap<String, Ulimit>();
        for (var e : n.properties()) {
            JsonNode u = e.getValue();
            if (!ULIMITS.contains(e.getKey())) throw Values.invalid("default-ulimits", "invalid ulimit type: " + e.getKey());
            if (!u.isObject() || !u.path("Soft").isIntegralNumber() || !u.path("Hard").isIntegralNumber()) {
                throw Values.bad("default-ulimits", u, "{\"Name\", \"Soft\", \"Hard\"}");
            }
            long soft = u.get("Soft").longValue(), hard = u.get("Hard").longValue();
            if (soft > hard && hard >= 0) {
                throw Values.invalid("default-ulimits", "ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
            }
            out.put(e.getKey(), new Ulimit(e.getKey(), soft, hard));
        }
        return out;
    }

    /** Warnings {@code info} shows about this configuration, in dockerd's words. */
    public List<String> warnings() {
        var out = new ArrayList<String>();
        for (String h : hosts) {
            if (h.startsWith("tcp://") && !tls.enabled()) {
                out.add("WARNING: API is accessible on http://" + h.substring("tcp://".length()) + " without encryption.\n"
                        + "         Access to the remote API is equivalent to root access on the host. Refer\n"
                        + "         to the 'Docker daemon attack surface' section in the documentation for\n"
                        + "         more information: https://docs.docker.com/go/attack-surface/");
            } else if (h.startsWith("tcp://") && !tls.verify()) {
                out.add("WARNING: API is accessible on https://" + h.substring("tcp://".length())
                        + " without TLS client verification: anyone who reaches it has root on this host");
            }
        }
        return out;
    }

    /** IPv4 CIDRs as the options take them. */
    static final class Cidr {
        private Cidr() {}

        /** Checks {@code a.b.c.d/n} and returns n. */
        static int parse(String key, String cidr) {
            int slash = cidr.indexOf('/');
            String[] octets = (slash < 0 ? cidr : cidr.substring(0, slash)).split("\\.", -1);
            try {
                if (slash < 0 || octets.length != 4) throw new NumberFormatException();
                for (String o : octets) {
                    int x = Integer.parseInt(o);
                    if (x < 0 || x > 255 || o.isEmpty()) throw new NumberFormatException();
                }
                int bits = Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > 32) throw new NumberFormatException();
                return bits;
            } catch (NumberFormatException e) {
                throw Values.invalid(key, "invalid CIDR address: " + cidr);
            }
        }
    }
}
