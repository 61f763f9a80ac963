package dev.berth.engine.container;

import dev.berth.common.AtomicFiles;
import dev.berth.common.EngineException;
import dev.berth.oci.BindMount;
import dev.berth.oci.ConsoleSize;
import dev.berth.oci.NetworkMode;
import dev.berth.oci.OciSpecs;
import dev.berth.oci.SeccompMode;
import dev.berth.oci.SpecOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a container's OCI bundle: {@code config.json} from the container's effective config and host settings, with
 * Docker's defaults supplied by berth-oci. Runs after the rootfs is mounted, since users and groups are resolved
 * from the image's own {@code /etc/passwd} and {@code /etc/group}.
 */
public class BundleBuilder {
    /** Docker mounts its init (tini) at this path and runs it as PID 1 with {@code --init}. */
    static final String INIT_PATH = "/sbin/docker-init";

    private final Path initBinary;
    /** The container's volumes, binds and tmpfs mounts (issue #6); null: none. */
    private volatile dev.berth.engine.volume.ContainerMounts userMounts;

    /** @param initBinary a static init for {@code --init} (Debian's tini-static), or null if there is none */
    public BundleBuilder(Path initBinary) {
        this.initBinary = initBinary;
    }

    public BundleBuilder() {
        this(Path.of("/usr/bin/tini-static"));
    }

    /** Adds each container's own mounts (-v, --mount, VOLUME) to its spec. */
    public BundleBuilder withMounts(dev.berth.engine.volume.ContainerMounts m) {
        this.userMounts = m;
        return this;
    }

    void write(Container c, Path bundle, Path rootfs, ContainerFiles.Written files) throws IOException {
        write(c, bundle, rootfs, files, null);
    }

    /** As above, for a container in another's network namespace ({@code --network container:x}), or null. */
    void write(Container c, Path bundle, Path rootfs, ContainerFiles.Written files, SharedNetwork shared) throws IOException {
        var o = options(c, rootfs, files);
        if (shared != null) {
            // As dockerd: the namespace, and with it the other container's host and domain names.
            o = o.toBuilder().networkMode(NetworkMode.container("/proc/" + shared.pid() + "/ns/net"))
                    .hostname(shared.hostname()).domainname(shared.domainname()).build();
        }
        AtomicFiles.write(bundle.resolve("config.json"), OciSpecs.toJson(OciSpecs.build(o)));
    }

    /** The network namespace of a running container another one joins, and the names that come with it. */
    record SharedNetwork(int pid, String hostname, String domainname, ContainerFiles.Written files) {}

    SpecOptions options(Container c, Path rootfs, ContainerFiles.Written files) {
        var config = c.config();
        var host = c.spec().host();
        List<String> args = config.args();
        if (args.isEmpty()) throw EngineException.invalid("no command specified");
        var mounts = new ArrayList<BindMount>();
        mounts.add(BindMount.of(files.hostname(), "/etc/hostname", false));
        mounts.add(BindMount.of(files.hosts(), "/etc/hosts", false));
        mounts.add(BindMount.of(files.resolvConf(), "/etc/resolv.conf", false));
        if (host.init()) {
            if (initBinary == null || !Files.isExecutable(initBinary)) {
                throw EngineException.failure("--init needs a static init binary at %s (Debian package tini)", initBinary);
            }
            mounts.add(BindMount.of(initBinary, INIT_PATH, true));
            var withInit = new ArrayList<String>(List.of(INIT_PATH, "--"));
            withInit.addAll(args);
            args = withInit;
        }
        var tmpfs = host.limits().tmpfs();
        if (userMounts != null) {
            var resolved = userMounts.resolve(c.id(), rootfs);
            tmpfs = withUserMounts(tmpfs, resolved);
            mounts.addAll(resolved.binds());
        }
        var security = SecurityOptions.parse(host.securityOpt());
        return SpecOptions.builder()
                .args(args)
                .env(config.env() == null ? List.of() : config.env())
                .cwd(config.workingDir())
                .user(config.user())
                .hostname(config.hostname())
                .domainname(config.domainname())
                .terminal(config.tty())
                .consoleSize(config.tty() && host.consoleSize() != null
                        ? new ConsoleSize(host.consoleSize().height(), host.consoleSize().width()) : null)
                .stdinOpen(config.openStdin())
                .rootfs(rootfs)
                .readonlyRootfs(host.readonlyRootfs())
                .extraMounts(mounts)
                .networkMode("host".equals(host.networkMode()) ? NetworkMode.HOST : NetworkMode.NONE)
                .cgroupsPath("/berth/" + c.id())
                .capAdd(host.capAdd())
                .capDrop(host.capDrop())
                .privileged(host.privileged())
                .seccomp(security.seccomp())
                .noNewPrivileges(security.noNewPrivileges())
                .shmSize(host.shmSize())
                .resources(host.limits().resources())
                .ulimits(host.limits().ulimits())
                .sysctls(host.limits().sysctls())
                .devices(host.limits().devices())
                .tmpfs(tmpfs)
                .build();
    }

    /**
     * {@code HostConfig.Tmpfs} with the tmpfs mounts of {@code --mount type=tmpfs} and tmpfs volumes added; a second
     * mount at one of its destinations is dockerd's start error "Duplicate mount point" (create refuses it already,
     * so only a container created by an older daemon gets here).
     */
    static java.util.Map<String, String> withUserMounts(java.util.Map<String, String> tmpfs,
                                                        dev.berth.engine.volume.ContainerMounts.Resolved resolved) {
        var all = new java.util.LinkedHashMap<String, String>();
        var taken = new java.util.HashSet<String>();
        if (tmpfs != null) tmpfs.forEach((d, o) -> {
            all.put(d, o);
            taken.add(clean(d));
        });
        var destinations = new ArrayList<String>(resolved.tmpfs().keySet());
        resolved.binds().forEach(b -> destinations.add(b.destination()));
        for (String d : destinations) {
            if (!taken.add(clean(d))) throw EngineException.invalid("Duplicate mount point: %s", clean(d));
        }
        all.putAll(resolved.tmpfs());
        return all;
    }

    private static String clean(String destination) {
        String c = Path.of(destination).normalize().toString();
        return c.isEmpty() ? "/" : c;
    }

    /** Docker's {@code --security-opt} values that apply to the spec; labels and AppArmor are accepted and ignored. */
    record SecurityOptions(SeccompMode seccomp, boolean noNewPrivileges) {
        static SecurityOptions parse(List<String> opts) {
            SeccompMode seccomp = SeccompMode.DEFAULT;
            boolean noNewPrivileges = false;
            for (String opt : opts == null ? List.<String>of() : opts) {
                int eq = opt.indexOf('=') >= 0 ? opt.indexOf('=') : opt.indexOf(':');
                String key = eq < 0 ? opt : opt.substring(0, eq);
                String value = eq < 0 ? "" : opt.substring(eq + 1);
                switch (key) {
                    case "seccomp" -> seccomp = value.equals("unconfined") ? SeccompMode.UNCONFINED
                            : value.isEmpty() ? invalid(opt) : SeccompMode.custom(value);
                    case "no-new-privileges" -> noNewPrivileges = switch (value) {
                        case "", "true" -> true;
                        case "false" -> false;
                        default -> throw EngineException.invalid("invalid --security-opt 2: %s", opt);
                    };
                    case "label", "apparmor", "systempaths", "mask", "unmask", "writable-cgroups" -> { }
                    default -> invalid(opt);
                }
            }
            return new SecurityOptions(seccomp, noNewPrivileges);
        }

        private static SeccompMode invalid(String opt) {
            throw EngineException.invalid("invalid --security-opt 2: \"%s\"", opt);
        }
    }
}
