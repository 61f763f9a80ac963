package dev.berth.daemon;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berthd}: dockerd's flags, then the daemon until SIGTERM or SIGINT. */
@Command(name = "berthd", mixinStandardHelpOptions = true, version = "berthd " + BuildInfo.VERSION,
        description = "A container engine that serves the Docker Engine API.")
public final class Berthd implements Callable<Integer> {

    @Option(names = {"-H", "--host"}, description = "Daemon socket(s) to listen on (unix:///path, tcp://host:port)")
    List<String> hosts;

    @Option(names = "--data-root", description = "Root directory of persistent state (default /var/lib/berth)")
    Path dataRoot;

    @Option(names = "--exec-root", description = "Root directory of execution state (default /run/berth)")
    Path execRoot;

    @Option(names = {"-p", "--pidfile"}, description = "Path to use for the daemon PID file")
    Path pidFile;

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    Boolean debug;

    @Option(names = "--config-file", description = "Daemon configuration file (default /etc/berth/daemon.json)")
    Path configFile;

    @Option(names = "--conmon", description = "Path of the conmon container monitor (default /usr/bin/conmon)")
    Path conmon;

    @Option(names = "--runtime", description = "Path of the OCI runtime (default /usr/sbin/runc)")
    Path runtime;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Berthd()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DaemonConfig cfg;
        try {
            cfg = DaemonConfig.resolve(new DaemonConfig.Flags(hosts, dataRoot, execRoot, pidFile, debug, conmon, runtime, configFile));
        } catch (IllegalArgumentException e) {
            System.err.println("berthd: " + e.getMessage());
            return 1;
        }
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(cfg.debug() ? Level.DEBUG : Level.INFO);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.INFO);
        Daemon daemon;
        try {
            daemon = Daemon.start(cfg);
        } catch (IllegalStateException e) {
            System.err.println("berthd: " + e.getMessage());
            return 1;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
