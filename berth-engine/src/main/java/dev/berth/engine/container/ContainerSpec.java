package dev.berth.engine.container;

import java.util.List;
import java.util.Map;

/**
 * What a container was created with, in engine terms: everything {@code create} fixes and {@code start} reads.
 * Nulls mean "not set" (the image's value applies); the create-time merge with the image is done once, in
 * {@link ContainerService#create}, and stored as {@link Container#config()}.
 */
public record ContainerSpec(
        String image,
        List<String> cmd,
        List<String> entrypoint,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        String domainname,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        HostSettings host,
        dev.berth.image.Healthcheck healthcheck,
        List<String> exposedPorts) {

    /** Without a health check of its own (the image's applies). */
    public ContainerSpec(String image, List<String> cmd, List<String> entrypoint, List<String> env, String workingDir,
                         String user, String hostname, String domainname, Map<String, String> labels, String stopSignal,
                         Integer stopTimeout, boolean tty, boolean openStdin, boolean stdinOnce, HostSettings host) {
        this(image, cmd, entrypoint, env, workingDir, user, hostname, domainname, labels, stopSignal, stopTimeout, tty,
                openStdin, stdinOnce, host, null, List.of());
    }

    /**
     * {@code exposedPorts}: the request's {@code ExposedPorts} keys ({@code 80/tcp}, or {@code 80} for tcp); null in
     * records written before they were kept.
     */
    public ContainerSpec {
        if (exposedPorts == null) exposedPorts = List.of();
    }

    public ContainerSpec withHost(HostSettings h) {
        return new ContainerSpec(image, cmd, entrypoint, env, workingDir, user, hostname, domainname, labels,
                stopSignal, stopTimeout, tty, openStdin, stdinOnce, h, healthcheck, exposedPorts);
    }

    /** The HostConfig part: how the container is run on this host. */
    public record HostSettings(
            boolean autoRemove,
            String networkMode,
            RestartPolicy restartPolicy,
            boolean privileged,
            boolean readonlyRootfs,
            List<String> capAdd,
            List<String> capDrop,
            List<String> securityOpt,
            long shmSize,
            boolean init,
            TerminalSize consoleSize,
            Limits limits,
            dev.berth.engine.logs.LogConfig logConfig,
            NameResolution names) {

        public static final HostSettings DEFAULT = new HostSettings(false, "default", RestartPolicy.NO, false, false,
                List.of(), List.of(), List.of(), 0, false, null, Limits.NONE);

        /**
         * {@code logConfig} is null in a request that names no driver (the daemon's default applies at create) and in
         * records written before logging drivers (their output is read from conmon's journal).
         */
        public HostSettings {
            if (limits == null) limits = Limits.NONE; // records written before limits existed
            if (names == null) names = NameResolution.NONE;
        }

        /** Without a logging driver of its own. */
        public HostSettings(boolean autoRemove, String networkMode, RestartPolicy restartPolicy, boolean privileged,
                            boolean readonlyRootfs, List<String> capAdd, List<String> capDrop, List<String> securityOpt,
                            long shmSize, boolean init, TerminalSize consoleSize, Limits limits) {
            this(autoRemove, networkMode, restartPolicy, privileged, readonlyRootfs, capAdd, capDrop, securityOpt,
                    shmSize, init, consoleSize, limits, null, NameResolution.NONE);
        }

        /** Without resource limits. */
        public HostSettings(boolean autoRemove, String networkMode, RestartPolicy restartPolicy, boolean privileged,
                            boolean readonlyRootfs, List<String> capAdd, List<String> capDrop, List<String> securityOpt,
                            long shmSize, boolean init, TerminalSize consoleSize) {
            this(autoRemove, networkMode, restartPolicy, privileged, readonlyRootfs, capAdd, capDrop, securityOpt,
                    shmSize, init, consoleSize, Limits.NONE);
        }

        public HostSettings withLimits(Limits l) {
            return new HostSettings(autoRemove, networkMode, restartPolicy, privileged, readonlyRootfs, capAdd, capDrop,
                    securityOpt, shmSize, init, consoleSize, l, logConfig, names);
        }

        public HostSettings withLogConfig(dev.berth.engine.logs.LogConfig c) {
            return new HostSettings(autoRemove, networkMode, restartPolicy, privileged, readonlyRootfs, capAdd, capDrop,
                    securityOpt, shmSize, init, consoleSize, limits, c, names);
        }

        public HostSettings withRestartPolicy(RestartPolicy p) {
            return new HostSettings(autoRemove, networkMode, p, privileged, readonlyRootfs, capAdd, capDrop,
                    securityOpt, shmSize, init, consoleSize, limits, logConfig, names);
        }
    }

    /**
     * {@code --dns}, {@code --dns-search}, {@code --dns-option} and {@code --add-host} ({@code host:ip}, where the
     * ip may be {@code host-gateway}): what goes into the container's resolv.conf and hosts beyond the defaults.
     */
    public record NameResolution(List<String> dns, List<String> dnsSearch, List<String> dnsOptions, List<String> extraHosts) {
        public static final NameResolution NONE = new NameResolution(List.of(), List.of(), List.of(), List.of());

        public NameResolution {
            dns = dns == null ? List.of() : List.copyOf(dns);
            dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
            dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        }

        /** dockerd's create-time checks of the name servers and the extra hosts. */
        public void validate() {
            for (String server : dns) {
                if (!isIp(server)) throw dev.berth.common.EngineException.invalid("%s is not an ip address", server);
            }
            for (String entry : extraHosts) {
                int colon = entry.indexOf(':');
                if (colon <= 0) throw dev.berth.common.EngineException.invalid("bad format for add-host: \"%s\"", entry);
                String ip = entry.substring(colon + 1);
                if (!ip.equals("host-gateway") && !isIp(ip)) {
                    throw dev.berth.common.EngineException.invalid("invalid IP address in add-host: \"%s\"", ip);
                }
            }
        }

        private static boolean isIp(String s) {
            if (s.isEmpty() || !s.matches("[0-9a-fA-F:.]+")) return false; // no name lookups: literals only
            try {
                java.net.InetAddress.ofLiteral(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** The client's terminal size at create ({@code HostConfig.ConsoleSize}), for a container with a TTY. */
    public record TerminalSize(int height, int width) {
        public TerminalSize {
            if (height < 0 || width < 0) throw new IllegalArgumentException("negative terminal size: " + height + "x" + width);
        }
    }

    public record RestartPolicy(String name, int maximumRetryCount) {
        public static final RestartPolicy NO = new RestartPolicy("no", 0);
    }
}
