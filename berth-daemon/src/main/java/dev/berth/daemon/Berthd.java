package dev.berth.daemon;

import ch.qos.logback.classic.Level;
import dev.berth.common.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code berthd}: dockerd's flags, then the daemon until SIGTERM or SIGINT; SIGHUP reloads daemon.json. */
@Command(name = "berthd", mixinStandardHelpOptions = true, version = "berthd " + BuildInfo.VERSION,
        description = "A container engine that serves the Docker Engine API.")
public final class Berthd implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Berthd.class);

    @Option(names = {"-H", "--host"}, description = "Daemon socket(s) to listen on (unix:///path, tcp://host:port, fd://)")
    List<String> hosts;

    @Option(names = "--data-root", description = "Root directory of persistent state (default /var/lib/berth)")
    String dataRoot;

    @Option(names = "--exec-root", description = "Root directory of execution state (default /run/berth)")
    String execRoot;

    @Option(names = {"-p", "--pidfile"}, description = "Path to use for the daemon PID file")
    String pidFile;

    @Option(names = {"-D", "--debug"}, arity = "0..1", fallbackValue = "true", description = "Enable debug mode")
    Boolean debug;

    @Option(names = "--config-file", description = "Daemon configuration file (default /etc/berth/daemon.json)")
    Path configFile;

    @Option(names = "--validate", description = "Validate daemon configuration and exit")
    boolean validate;

    @Option(names = "--conmon", description = "Path of the conmon container monitor (default /usr/bin/conmon)")
    String conmon;

    @Option(names = "--runtime", description = "Path of the OCI runtime (default /usr/sbin/runc)")
    String runtime;

    @Option(names = {"-G", "--group"}, description = "Group for the unix socket (default docker, else root)")
    String group;

    @Option(names = "--tls", arity = "0..1", fallbackValue = "true", description = "Use TLS; implied by --tlsverify")
    Boolean tls;

    @Option(names = "--tlsverify", arity = "0..1", fallbackValue = "true", description = "Use TLS and verify the remote")
    Boolean tlsVerify;

    @Option(names = "--tlscacert", description = "Trust certs signed only by this CA (default ~/.docker/ca.pem)")
    String tlsCaCert;

    @Option(names = "--tlscert", description = "Path to TLS certificate file (default ~/.docker/cert.pem)")
    String tlsCert;

    @Option(names = "--tlskey", description = "Path to TLS key file (default ~/.docker/key.pem)")
    String tlsKey;

    @Option(names = "--live-restore", arity = "0..1", fallbackValue = "true", description = "Keep containers running while the daemon is down")
    Boolean liveRestore;

    @Option(names = "--log-driver", description = "Default driver for container logs (default json-file)")
    String logDriver;

    @Option(names = "--log-opt", description = "Default log driver options for containers (key=value)")
    Map<String, String> logOpts;

    @Option(names = {"-b", "--bridge"}, description = "Linux bridge of the default bridge network, or none (default berth0)")
    String bridge;

    @Option(names = "--bip", description = "IPv4 address for the default bridge (gateway/prefix, e.g. 10.213.7.1/24)")
    String bip;

    @Option(names = "--default-address-pool", description = "Default address pools (base=CIDR,size=N)")
    List<String> addressPools;

    @Option(names = "--iptables", arity = "0..1", fallbackValue = "true", description = "Enable addition of iptables rules (default true)")
    Boolean iptables;

    @Option(names = "--userland-proxy", arity = "0..1", fallbackValue = "true", description = "Use userland proxy for loopback traffic (default true)")
    Boolean userlandProxy;

    @Option(names = "--insecure-registry", description = "Enable insecure registry communication")
    List<String> insecureRegistries;

    @Option(names = "--registry-mirror", description = "Preferred registry mirror")
    List<String> registryMirrors;

    @Option(names = "--max-concurrent-downloads", description = "Set the max concurrent downloads (default 3)")
    Integer maxConcurrentDownloads;

    @Option(names = "--max-concurrent-uploads", description = "Set the max concurrent uploads (default 5)")
    Integer maxConcurrentUploads;

    @Option(names = "--default-runtime", description = "Default OCI runtime for containers (default runc)")
    String defaultRuntime;

    @Option(names = "--add-runtime", description = "Register an additional OCI runtime (name=path)")
    List<String> addRuntimes;

    @Option(names = "--default-ulimit", description = "Default ulimits for containers (name=soft[:hard])")
    List<String> defaultUlimits;

    @Option(names = "--label", description = "Set key=value labels to the daemon")
    List<String> labels;

    @Option(names = {"-s", "--storage-driver"}, description = "Storage driver to use (overlay2)")
    String storageDriver;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Berthd()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DaemonConfig cfg;
        try {
            cfg = DaemonConfig.resolve(flags(), configFile, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("berthd: " + e.getMessage());
            return 1;
        }
        if (validate) {
            System.out.println("configuration OK");
            return 0;
        }
        applyLogLevel(cfg);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.INFO);
        Daemon daemon;
        try {
            daemon = Daemon.start(cfg);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("berthd: " + e.getMessage());
            return 1;
        }
        daemon.settings().onReload(Berthd::applyLogLevel);
        // SIGHUP would otherwise end the JVM; dockerd reloads its configuration on it.
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.startVirtualThread(daemon.settings()::reload));
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    private static void applyLogLevel(DaemonConfig cfg) {
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(cfg.debug() ? Level.DEBUG : Level.INFO);
    }

    /** The flags given, under their daemon.json keys (flags not given are absent, so the file may set them). */
    Map<String, JsonNode> flags() {
        var m = new LinkedHashMap<String, Object>();
        put(m, "hosts", hosts);
        put(m, "data-root", dataRoot);
        put(m, "exec-root", execRoot);
        put(m, "pidfile", pidFile);
        put(m, "debug", debug);
        put(m, "conmon", conmon);
        put(m, "runtime", runtime);
        put(m, "group", group);
        put(m, "tls", tls);
        put(m, "tlsverify", tlsVerify);
        put(m, "tlscacert", tlsCaCert);
        put(m, "tlscert", tlsCert);
        put(m, "tlskey", tlsKey);
        put(m, "live-restore", liveRestore);
        put(m, "log-driver", logDriver);
        put(m, "log-opts", logOpts);
        put(m, "bridge", bridge);
        put(m, "bip", bip);
        put(m, "default-address-pools", addressPools == null ? null : addressPools.stream().map(Berthd::addressPool).toList());
        put(m, "iptables", iptables);
        put(m, "userland-proxy", userlandProxy);
        put(m, "insecure-registries", insecureRegistries);
        put(m, "registry-mirrors", registryMirrors);
        put(m, "max-concurrent-downloads", maxConcurrentDownloads);
        put(m, "max-concurrent-uploads", maxConcurrentUploads);
        put(m, "default-runtime", defaultRuntime);
        put(m, "runtimes", addRuntimes == null ? null : runtimes(addRuntimes));
        put(m, "default-ulimits", defaultUlimits == null ? null : ulimits(defaultUlimits));
        put(m, "labels", labels);
        put(m, "storage-driver", storageDriver);
        var out = new LinkedHashMap<String, JsonNode>();
        m.forEach((k, v) -> out.put(k, Json.MAPPER.valueToTree(v)));
        return out;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) m.put(key, value);
    }

    /** {@code base=172.30.0.0/16,size=24} as the file's {@code {"base": ..., "size": ...}}. */
    static Map<String, Object> addressPool(String flag) {
        var pool = new LinkedHashMap<String, Object>();
        for (String part : flag.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("invalid value for \"default-address-pools\": expected base=CIDR,size=N, got " + flag);
            try {
                pool.put(kv[0].strip(), kv[0].strip().equals("size") ? (Object) Integer.parseInt(kv[1].strip()) : kv[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid value for \"default-address-pools\": bad size in " + flag);
            }
        }
        return pool;
    }

    /** {@code name=path} as the file's {@code {"name": {"path": path}}}. */
    static Map<String, Object> runtimes(List<String> flags) {
        var m = new LinkedHashMap<String, Object>();
        for (String f : flags) {
            String[] kv = f.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("invalid value for \"runtimes\": expected name=path, got " + f);
            m.put(kv[0], Map.of("path", kv[1]));
        }
        return m;
    }

    /** {@code nofile=1024:2048} as the file's {@code {"nofile": {"Name", "Soft", "Hard"}}}. */
    static Map<String, Object> ulimits(List<String> flags) {
        var m = new LinkedHashMap<String, Object>();
        for (String f : flags) {
            String[] kv = f.split("=", 2);
            try {
                String[] limits = kv[1].split(":", 2);
                long soft = Long.parseLong(limits[0]);
                long hard = limits.length > 1 ? Long.parseLong(limits[1]) : soft;
                m.put(kv[0], Map.of("Name", kv[0], "Soft", soft, "Hard", hard));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid value for \"default-ulimits\": expected name=soft[:hard], got " + f);
            }
        }
        return m;
    }
}
