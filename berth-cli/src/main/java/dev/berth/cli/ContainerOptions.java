package dev.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags {@code run} and {@code create} share, and the create request they make. */
final class ContainerOptions {
    @Option(names = "--name", paramLabel = "string", description = "Assign a name to the container")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Set meta data on a container")
    List<String> labels = new ArrayList<>();

    @Option(names = "--label-file", paramLabel = "list", description = "Read in a line delimited file of labels")
    List<Path> labelFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;

    @Option(names = "--entrypoint", paramLabel = "string", description = "Overwrite the default ENTRYPOINT of the image")
    String entrypoint;

    @Option(names = {"-h", "--hostname"}, paramLabel = "string", description = "Container host name")
    String hostname;

    @Option(names = "--domainname", paramLabel = "string", description = "Container NIS domain name")
    String domainname;

    @Option(names = "--stop-signal", paramLabel = "string", description = "Signal to stop the container")
    String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "int", description = "Timeout (in seconds) to stop a container")
    Integer stopTimeout;

    @Option(names = "--log-driver", paramLabel = "string", description = "Logging driver for the container")
    String logDriver;

    @Option(names = "--log-opt", paramLabel = "list", description = "Log driver options")
    List<String> logOpts = new ArrayList<>();

    @Option(names = "--health-cmd", paramLabel = "string", description = "Command to run to check health")
    String healthCmd;

    @Option(names = "--health-interval", paramLabel = "duration", description = "Time between running the check (ms|s|m|h) (default 0s)")
    String healthInterval;

    @Option(names = "--health-timeout", paramLabel = "duration", description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)")
    String healthTimeout;

    @Option(names = "--health-start-period", paramLabel = "duration", description = "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)")
    String healthStartPeriod;

    @Option(names = "--health-start-interval", paramLabel = "duration", description = "Time between running the check during the start period (ms|s|m|h) (default 0s)")
    String healthStartInterval;

    @Option(names = "--health-retries", paramLabel = "int", description = "Consecutive failures needed to report unhealthy")
    Integer healthRetries;

    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK")
    boolean noHealthcheck;

    @Option(names = {"--network", "--net"}, paramLabel = "network", description = "Connect a container to a network")
    String network;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes")
    boolean init;

    @Option(names = "--privileged", description = "Give extended privileges to this container")
    boolean privileged;

    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
    boolean readOnly;

    @Option(names = "--cap-add", paramLabel = "list", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "list", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--security-opt", paramLabel = "list", description = "Security Options")
    List<String> securityOpts = new ArrayList<>();

    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits (default \"no\")")
    String restart;

    @Option(names = "--rm", description = "Automatically remove the container and its associated anonymous volumes when it exits")
    boolean autoRemove;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Mixin
    ResourceOptions resources;

    @Mixin
    PortOptions ports;

    @Mixin
    StorageOptions storage;

    @Option(names = "--tmpfs", paramLabel = "list", description = "Mount a tmpfs directory")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--sysctl", paramLabel = "map", description = "Sysctl options")
    List<String> sysctls = new ArrayList<>();

    @Option(names = "--device", paramLabel = "list", description = "Add a host device to the container")
    List<String> devices = new ArrayList<>();

    @Option(names = "--ulimit", paramLabel = "ulimit", description = "Ulimit options")
    List<String> ulimits = new ArrayList<>();

    @Option(names = "--shm-size", paramLabel = "bytes", description = "Size of /dev/shm")
    String shmSize;

    /** {@code Healthcheck} from the --health-* flags as the Docker CLI builds it; null when none is given. */
    Map<String, Object> healthcheck() {
        var durations = new LinkedHashMap<String, Long>();
        durations.put("Interval", duration("--health-interval", healthInterval));
        durations.put("Timeout", duration("--health-timeout", healthTimeout));
        durations.put("StartPeriod", duration("--health-start-period", healthStartPeriod));
        durations.put("StartInterval", duration("--health-start-interval", healthStartInterval));
        int retries = healthRetries == null ? 0 : healthRetries;
        boolean any = healthCmd != null && !healthCmd.isEmpty() || retries != 0
                || durations.values().stream().anyMatch(d -> d != 0);
        if (noHealthcheck) {
            if (any) throw new UsageError("--no-healthcheck conflicts with --health-* options");
            return Map.of("Test", List.of("NONE"));
        }
        if (!any) return null;
        for (var e : Map.of("--health-interval", "Interval", "--health-timeout", "Timeout",
                "--health-start-period", "StartPeriod", "--health-start-interval", "StartInterval").entrySet()) {
            if (durations.get(e.getValue()) < 0) throw new UsageError(e.getKey() + " cannot be negative");
        }
        if (retries < 0) throw new UsageError("--health-retries cannot be negative");
        var h = new LinkedHashMap<String, Object>();
        h.put("Test", healthCmd == null || healthCmd.isEmpty() ? null : List.of("CMD-SHELL", healthCmd));
        h.putAll(durations);
        h.put("Retries", retries);
        return h;
    }

    private static long duration(String flag, String value) {
        if (value == null) return 0;
        var d = dev.berth.common.GoDuration.parse(value);
        if (d == null) {
            throw new UsageError("invalid argument \"" + value + "\" for \"" + flag + "\" flag: time: invalid duration \"" + value + "\"");
        }
        return d.toNanos();
    }

    /** The body of {@code POST /containers/create}, as the Docker CLI builds it. */
    Map<String, Object> createBody(String image, List<String> command, boolean attachStdio, Map<String, String> clientEnv) {
        if (autoRemove && restart != null && !restart.equals("no")) {
            throw new UsageError("Conflicting options: --restart and --rm");
        }
        var body = new LinkedHashMap<String, Object>();
        if (hostname != null) body.put("Hostname", hostname);
        if (domainname != null) body.put("Domainname", domainname);
        if (user != null) body.put("User", user);
        body.put("AttachStdin", attachStdio && interactive);
        body.put("AttachStdout", attachStdio);
        body.put("AttachStderr", attachStdio);
        body.put("Tty", tty);
        body.put("OpenStdin", interactive);
        body.put("StdinOnce", attachStdio && interactive);
        body.put("Env", environment(clientEnv));
        if (!command.isEmpty()) body.put("Cmd", command);
        body.put("Image", image);
        if (workdir != null) body.put("WorkingDir", workdir);
        if (entrypoint != null) body.put("Entrypoint", List.of(entrypoint));
        body.put("Labels", labels());
        if (stopSignal != null) body.put("StopSignal", stopSignal);
        if (stopTimeout != null) body.put("StopTimeout", stopTimeout);
        var health = healthcheck();
        if (health != null) body.put("Healthcheck", health);

        var host = new LinkedHashMap<String, Object>();
        host.put("NetworkMode", network == null ? "default" : network);
        host.put("RestartPolicy", restartPolicy(restart));
        host.put("AutoRemove", autoRemove);
        host.put("CapAdd", capAdd);
        host.put("CapDrop", capDrop);
        host.put("Privileged", privileged);
        host.put("ReadonlyRootfs", readOnly);
        host.put("SecurityOpt", securityOpts);
        if (init) host.put("Init", true);
        resources.addTo(host);
        ports.addTo(body, host);
        storage.addTo(body, host);
        if (!tmpfs.isEmpty()) host.put("Tmpfs", tmpfs());
        if (!sysctls.isEmpty()) host.put("Sysctls", KeyValues.parse(sysctls, "--sysctl", true));
        if (!devices.isEmpty()) host.put("Devices", devices.stream().map(ContainerOptions::device).toList());
        if (!ulimits.isEmpty()) host.put("Ulimits", ulimits.stream().map(ContainerOptions::ulimit).toList());
        if (shmSize != null) host.put("ShmSize", Sizes.ramInBytes(shmSize, "--shm-size"));
        host.put("LogConfig", Map.of("Type", logDriver == null ? "" : logDriver,
                "Config", KeyValues.parse(logOpts, "--log-opt", true)));
        if (tty) {
            // Docker's CLI sends the terminal's size with the create, so the first prompt is already laid out right.
            int[] size = TerminalSession.currentSize();
            if (size != null) host.put("ConsoleSize", List.of(size[0], size[1]));
        }
        body.put("HostConfig", host);
        Map<String, Object> networking = ports.networkingConfig(network);
        if (networking != null) body.put("NetworkingConfig", networking);
        return body;
    }

    /** {@code -e NAME=value}, and {@code -e NAME} takes the value from the client's environment (or is dropped). */
    private List<String> environment(Map<String, String> clientEnv) {
        var out = new ArrayList<String>();
        for (Path file : envFiles) out.addAll(withClientValues(readLines(file, "env file"), clientEnv));
        out.addAll(withClientValues(env, clientEnv));
        return out;
    }

    private static List<String> withClientValues(List<String> entries, Map<String, String> clientEnv) {
        var out = new ArrayList<String>();
        for (String e : entries) {
            if (e.isEmpty() || e.startsWith("=")) throw new UsageError("invalid environment variable: " + e);
            if (e.contains("=")) {
                out.add(e);
            } else if (clientEnv.containsKey(e)) {
                out.add(e + "=" + clientEnv.get(e));
            }
        }
        return out;
    }

    private Map<String, String> labels() {
        var all = new ArrayList<String>();
        for (Path file : labelFiles) all.addAll(readLines(file, "label file"));
        all.addAll(labels);
        return KeyValues.parse(all, "--label");
    }

    /** The lines of an env or label file that are not blank or comments. */
    private static List<String> readLines(Path file, String what) {
        try {
            // Docker trims only leading white space: a value keeps its trailing spaces.
            return Files.readAllLines(file).stream().map(String::stripLeading)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageError("open " + file + ": no such file or directory (" + what + ")");
        } catch (IOException e) {
            throw new UsageError("open " + file + ": " + e.getMessage() + " (" + what + ")");
        }
    }

    static Map<String, Object> restartPolicy(String text) {
        var policy = new LinkedHashMap<String, Object>();
        if (text == null || text.isEmpty()) text = "no";
        String[] parts = text.split(":", 2);
        String name = parts[0];
        if (!List.of("no", "always", "unless-stopped", "on-failure").contains(name)) {
            throw new UsageError("invalid restart policy format: " + text);
        }
        int retries = 0;
        if (parts.length == 2) {
            if (!name.equals("on-failure")) throw new UsageError("invalid restart policy format: maximum retry count can only be used with 'on-failure'");
            try {
                retries = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new UsageError("invalid restart policy format: maximum retry count must be an integer");
            }
        }
        policy.put("Name", name);
        policy.put("MaximumRetryCount", retries);
        return policy;
    }

    /** {@code --tmpfs /run:rw,size=64m}: the path, and the mount options after the colon. */
    private Map<String, String> tmpfs() {
        var out = new LinkedHashMap<String, String>();
        for (String t : tmpfs) {
            int colon = t.indexOf(':');
            String path = colon < 0 ? t : t.substring(0, colon);
            if (!path.startsWith("/")) throw new UsageError("invalid argument \"" + t + "\" for \"--tmpfs\" flag: path must be absolute");
            out.put(path, colon < 0 ? "" : t.substring(colon + 1));
        }
        return out;
    }

    /** {@code --device /dev/fuse}, {@code /dev/sda:/dev/xvda}, {@code /dev/sda:/dev/xvda:r}. */
    static Map<String, String> device(String spec) {
        String[] parts = spec.split(":");
        if (parts.length > 3 || !parts[0].startsWith("/")) {
            throw new UsageError("invalid argument \"" + spec + "\" for \"--device\" flag: bad format for path: " + spec);
        }
        String inContainer = parts.length > 1 && parts[1].startsWith("/") ? parts[1] : parts[0];
        String permissions = parts.length == 3 ? parts[2] : parts.length == 2 && !parts[1].startsWith("/") ? parts[1] : "rwm";
        if (!permissions.matches("[rwm]{1,3}")) {
            throw new UsageError("invalid argument \"" + spec + "\" for \"--device\" flag: invalid device mode: " + permissions);
        }
        var d = new LinkedHashMap<String, String>();
        d.put("PathOnHost", parts[0]);
        d.put("PathInContainer", inContainer);
        d.put("CgroupPermissions", permissions);
        return d;
    }

    /** {@code --ulimit nofile=1024:2048} (soft:hard, or one value for both). */
    static Map<String, Object> ulimit(String spec) {
        int eq = spec.indexOf('=');
        String bad = "invalid argument \"" + spec + "\" for \"--ulimit\" flag: ";
        if (eq <= 0) throw new UsageError(bad + "invalid ulimit argument: " + spec);
        String[] limits = spec.substring(eq + 1).split(":");
        if (limits.length > 2) throw new UsageError(bad + "too many limit value arguments");
        try {
            long soft = Long.parseLong(limits[0]);
            long hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
            if (soft > hard) throw new UsageError(bad + "ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
            var u = new LinkedHashMap<String, Object>();
            u.put("Name", spec.substring(0, eq));
            u.put("Soft", soft);
            u.put("Hard", hard);
            return u;
        } catch (NumberFormatException e) {
            throw new UsageError(bad + "invalid ulimit value: " + spec.substring(eq + 1));
        }
    }
}
