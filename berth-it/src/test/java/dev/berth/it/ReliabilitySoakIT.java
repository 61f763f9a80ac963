package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reliability soak (issue 7): a few threads run random container operations through {@code berth} and the
 * Docker CLI while another kills the daemon with SIGKILL at random moments and starts it again. Operations cut off
 * by an outage fail and are ignored; the test keeps only what it knows for sure (a create that returned an id, an rm
 * that succeeded, and one that failed, which a crash may have cut off after the removal; a write into a volume that
 * exited 0) and, after a last crash and a settle, checks the state
 * against it and against the host: every container known, exit codes right, no container half-removed or running
 * without a task, nothing (mount, task, monitor, lease, veth, cgroup, port) held for a container that does not run,
 * every completed volume write still there. Then it removes everything and checks that nothing is left.
 *
 * <p>Bounded: {@code -Dsoak.seconds} of operations with the daemon up (40 by default; with the daemon's restarts and
 * the checks about 90 s in all on an idle machine). The random sequence of each thread comes from
 * {@code -Dsoak.seed}, printed at the start (the interleaving of threads is the machine's).
 */
class ReliabilitySoakIT {
    private static final long SEED = Long.getLong("soak.seed", System.nanoTime());
    private static final int SECONDS = Integer.getInteger("soak.seconds", 40);
    private static final int WORKERS = 3;
    /** Servers the operations keep around at most; more and they remove instead of creating. */
    private static final int MAX_SERVERS = 8;
    /** Quitters and retriers made at most: they are left alone, so they stay until the end. */
    private static final int MAX_LEFT_ALONE = 12;
    private static final Pattern ID = Pattern.compile("(?m)^[0-9a-f]{64}$");
    private static final String VOLUME = "soakvol";
    /**
     * Docker's refusals of an operation that raced another on the same container (a stop, a kill, an rm of another
     * thread, a restart policy), and an exec killed with its container: the only failures expected while the daemon
     * stays up.
     */
    private static final Pattern RACES = Pattern.compile("is not running|container is (running|restarting): stop the container"
            + "|is restarting, wait until|removal of container \\S+ is already in progress|marked for removal|No such (container|object)"
            + "|cannot exec in a stopped (container|state)"
            + "|^\\S+ exec .* -> (137|143): $");

    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    /** What the containers were made to do. */
    enum Kind {
        /** sleep or httpd until stopped: started, stopped, killed, restarted, exec'd into and removed at random */
        SERVER,
        /** {@code sleep S; exit K} without a restart policy, left alone: must end exited with K */
        QUITTER,
        /** {@code sleep 1; exit K} (K > 0) with {@code --restart on-failure:2}, left alone: ends exited with K */
        RETRIER
    }

    record Known(String name, String id, Kind kind, int exitCode, boolean ports, boolean volume) {}

    /** What the test knows for sure; filled by the workers, read once they are done. */
    static final class Model {
        final Map<String, Known> known = new ConcurrentHashMap<>();           // by id: create returned it
        final Set<String> removed = ConcurrentHashMap.newKeySet();            // ids whose rm succeeded
        final Set<String> maybeRemoved = ConcurrentHashMap.newKeySet();       // ids whose rm failed: a crash may have cut off its answer only
        final Set<String> removedNames = ConcurrentHashMap.newKeySet();       // run --rm that returned 0
        final Set<String> markers = ConcurrentHashMap.newKeySet();            // volume writes that exited 0
        final Map<String, String> anonymous = new ConcurrentHashMap<>();      // container id -> its anonymous volume
        final Set<String> volumesGone = ConcurrentHashMap.newKeySet();        // removed with rm -v
        final Set<String> volumesKept = ConcurrentHashMap.newKeySet();        // container removed without -v

        List<Known> live(Kind kind) {
            return known.values().stream().filter(k -> k.kind() == kind && !removed.contains(k.id())).toList();
        }
    }

    private final Model model = new Model();
    private final AtomicInteger names = new AtomicInteger();
    private final AtomicInteger markerSeq = new AtomicInteger();
    /** Even while the daemon is up, odd while it is down; an operation with the same even value at both ends saw no crash. */
    private final AtomicLong epoch = new AtomicLong();
    private final Map<String, AtomicInteger> tally = new ConcurrentHashMap<>();
    /** Failures of operations during which the daemon stayed up: refusals of racing operations, or bugs. */
    private final List<String> calmFailures = new CopyOnWriteArrayList<>();
    private final List<Throwable> broken = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    @Test
    void randomOperations_whileTheDaemonIsKilledAtRandom_keepEveryInvariant() throws Exception {
        System.out.printf("soak: seed %d, %d s of operations with the daemon up (replay: -Dsoak.seed=%d -Dsoak.seconds=%d)%n", SEED, SECONDS, SEED, SECONDS);
        assertThat(daemon.berth("volume", "create", VOLUME).exit()).isZero();

        var threads = new ArrayList<Thread>();
        for (int i = 0; i < WORKERS; i++) {
            var rnd = new Random(SEED + i);
            threads.add(Thread.ofPlatform().name("soak-worker-" + i).start(() -> work(rnd)));
        }
        var chaos = Thread.ofPlatform().name("soak-chaos").start(() -> crashes(new Random(SEED - 1)));
        chaos.join();
        running = false;
        for (var t : threads) t.join();
        assertThat(broken).as("seed %d: the soak itself broke", SEED).isEmpty();
        report();
        assertThat(calmFailures).as("seed %d: operations that failed while the daemon was up, for a reason other than a race", SEED)
                .allMatch(f -> RACES.matcher(f).find());
        // So that the last crash always has a published port to keep, whatever the random operations left running.
        var anchor = daemon.docker("run", "-d", "--name", "soak-anchor", "-p", "127.0.0.1::80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        assertThat(anchor.exit()).as("seed %d: %s", SEED, anchor).isZero();
        model.known.put(idOf(anchor), new Known("soak-anchor", idOf(anchor), Kind.SERVER, 0, true, false));

        // The last crash, then the state the daemon settles in.
        var servedBefore = servedPorts(settled());
        daemon.kill9();
        daemon.start();
        Map<String, Seen> seen = settled();
        report(seen);
        checkInvariants(seen);
        checkPortsKept(servedBefore, seen);

        removeEverything();
        checkNothingLeft();
    }

    // ---- the operations -----------------------------------------------------------------------------------

    private void work(Random rnd) {
        try {
            while (running) {
                // While the daemon is down, one operation in five still goes out (and meets "Cannot connect").
                if (epoch.get() % 2 != 0 && java.util.concurrent.ThreadLocalRandom.current().nextInt(5) != 0) {
                    Thread.sleep(200);
                    continue;
                }
                step(rnd);
            }
        } catch (Throwable t) {
            broken.add(t);
        }
    }

    /** One random operation. */
    private void step(Random rnd) throws Exception {
        int roll = rnd.nextInt(100);
        if (roll >= 20 && roll < 30 && model.live(Kind.QUITTER).size() + model.live(Kind.RETRIER).size() >= MAX_LEFT_ALONE) {
            roll = rnd.nextInt(20); // enough of those: a server instead
        }
        if (roll < 20 && model.live(Kind.SERVER).size() >= MAX_SERVERS) roll = 57 + rnd.nextInt(13); // make room instead
        if (roll < 14) runServer(rnd, false);
        else if (roll < 20) runServer(rnd, true);
        else if (roll < 26) runQuitter(rnd);
        else if (roll < 30) runRetrier(rnd);
        else if (roll < 38) onServer(rnd, "start");
        else if (roll < 45) onServer(rnd, "stop", "-t", "1");
        else if (roll < 51) onServer(rnd, "kill");
        else if (roll < 57) onServer(rnd, "restart", "-t", "1");
        else if (roll < 70) remove(rnd);
        else if (roll < 77) onServer(rnd, "exec", "-", "sh", "-c", "echo ok");
        else if (roll < 84) runRm(rnd);
        else writeVolume(rnd);
    }

    /** run -d (or create) of a server: sleep, or httpd with a published port; maybe a restart policy and volumes. */
    private void runServer(Random rnd, boolean createOnly) throws Exception {
        String name = "soak-" + names.incrementAndGet();
        boolean ports = rnd.nextInt(4) == 0, volume = rnd.nextInt(3) == 0, anon = rnd.nextInt(5) == 0;
        var args = new ArrayList<>(List.of(createOnly ? "create" : "run", "--name", name));
        if (!createOnly) args.add(1, "-d");
        if (rnd.nextInt(4) == 0) args.addAll(List.of("--restart", "always"));
        if (volume) args.addAll(List.of("-v", VOLUME + ":/data"));
        if (anon) args.addAll(List.of("-v", "/scratch"));
        if (ports) args.addAll(List.of("-p", "127.0.0.1::80"));
        args.add("busybox");
        args.addAll(ports ? List.of("httpd", "-f", "-p", "80", "-h", "/etc") : List.of("sleep", "300"));
        var r = cli(rnd, createOnly ? "create" : "run -d", args.toArray(String[]::new));
        String id = idOf(r);
        if (id != null) {
            model.known.put(id, new Known(name, id, Kind.SERVER, 0, ports, volume));
            if (anon) {
                var v = cli(rnd, "inspect", "inspect", "-f", "{{range .Mounts}}{{if eq .Destination \"/scratch\"}}{{.Name}}{{end}}{{end}}", id);
                if (v.exit() == 0 && !v.out().isBlank()) model.anonymous.put(id, v.out().strip());
            }
        }
    }

    private void runQuitter(Random rnd) throws Exception {
        String name = "soak-" + names.incrementAndGet();
        int code = List.of(0, 1, 3, 7, 42).get(rnd.nextInt(5)), sleep = rnd.nextInt(4);
        var r = cli(rnd, "run -d quitter", "run", "-d", "--name", name, "busybox", "sh", "-c", "sleep " + sleep + "; exit " + code);
        String id = idOf(r);
        if (id != null) model.known.put(id, new Known(name, id, Kind.QUITTER, code, false, false));
    }

    private void runRetrier(Random rnd) throws Exception {
        String name = "soak-" + names.incrementAndGet();
        int code = 1 + rnd.nextInt(5);
        var r = cli(rnd, "run -d retrier", "run", "-d", "--name", name, "--restart", "on-failure:2", "busybox", "sh", "-c", "sleep 1; exit " + code);
        String id = idOf(r);
        if (id != null) model.known.put(id, new Known(name, id, Kind.RETRIER, code, false, false));
    }

    /** An operation on a random server; "-" in {@code args} stands for the container. */
    private void onServer(Random rnd, String op, String... rest) throws Exception {
        var servers = model.live(Kind.SERVER);
        if (servers.isEmpty()) return;
        var target = servers.get(rnd.nextInt(servers.size()));
        var args = new ArrayList<String>(List.of(op));
        boolean placed = false;
        for (String a : rest) {
            if (a.equals("-")) {
                args.add(target.id());
                placed = true;
            } else {
                args.add(a);
            }
        }
        if (!placed) args.add(rnd.nextBoolean() ? target.id() : target.name());
        cli(rnd, op, args.toArray(String[]::new));
    }

    /** rm -f, rm -v or rm -f -v of a server. */
    private void remove(Random rnd) throws Exception {
        var pool = model.live(Kind.SERVER);
        if (pool.isEmpty()) return;
        var target = pool.get(rnd.nextInt(pool.size()));
        boolean withVolumes = rnd.nextBoolean();
        var args = new ArrayList<>(List.of("rm"));
        if (!withVolumes || rnd.nextBoolean()) args.add("-f");
        if (withVolumes) args.add("-v");
        args.add(target.id());
        var r = cli(rnd, String.join(" ", args.subList(0, args.size() - 1)), args.toArray(String[]::new));
        if (r.exit() != 0) model.maybeRemoved.add(target.id());
        if (r.exit() == 0) {
            model.removed.add(target.id());
            String anon = model.anonymous.get(target.id());
            if (anon != null) (withVolumes ? model.volumesGone : model.volumesKept).add(anon);
        }
    }

    /** run --rm in the foreground: once it returned 0, the container is gone. */
    private void runRm(Random rnd) throws Exception {
        String name = "soak-rm-" + names.incrementAndGet();
        var r = cli(rnd, "run --rm", "run", "--rm", "--name", name, "busybox", "echo", "hi");
        if (r.exit() == 0 && r.out().equals("hi\n")) model.removedNames.add(name);
    }

    /** Appends a marker line to the shared volume: by exec into a server that mounts it, or by run --rm. */
    private void writeVolume(Random rnd) throws Exception {
        String marker = "m" + markerSeq.incrementAndGet();
        String append = "echo " + marker + " >> /data/log";
        var writers = model.live(Kind.SERVER).stream().filter(Known::volume).toList();
        Cli.Result r;
        if (!writers.isEmpty() && rnd.nextBoolean()) {
            r = cli(rnd, "exec write", "exec", writers.get(rnd.nextInt(writers.size())).id(), "sh", "-c", append);
        } else {
            r = cli(rnd, "run --rm write", "run", "--rm", "-v", VOLUME + ":/data", "busybox", "sh", "-c", append);
        }
        if (r.exit() == 0) model.markers.add(marker);
    }

    /**
     * Runs a command through the Docker CLI or berth, at random (mostly docker: berth starts a JVM, which on a busy
     * machine takes long enough to leave few operations between crashes); counts the outcome, notes failures while
     * the daemon was up.
     */
    private Cli.Result cli(Random rnd, String op, String... args) {
        boolean docker = rnd.nextInt(4) != 0;
        long before = epoch.get();
        Cli.Result r;
        try {
            r = docker ? daemon.docker(args) : daemon.berth(args);
        } catch (Exception e) {
            r = new Cli.Result(-1, "", e.toString());
        }
        boolean calm = before % 2 == 0 && epoch.get() == before;
        tally.computeIfAbsent(op + (r.exit() == 0 ? " ok" : calm ? " refused" : " cut off"), k -> new AtomicInteger()).incrementAndGet();
        if (r.exit() != 0 && calm) {
            // An exec whose start fails after the connection was taken over says why on its output, as dockerd's does.
            String why = r.err().isBlank() && "exec".equals(args[0]) ? r.out() : r.err();
            calmFailures.add((docker ? "docker " : "berth ") + String.join(" ", args) + " -> " + r.exit() + ": " + why.strip());
        }
        return r;
    }

    private static String idOf(Cli.Result r) {
        if (r.exit() != 0) return null;
        var m = ID.matcher(r.out());
        String id = null;
        while (m.find()) id = m.group();
        return id;
    }

    /**
     * Lets the daemon run for 3 to 8 s, kills it, leaves it down for up to 1.5 s and starts it again, until the
     * daemon has been up for {@link #SECONDS} in all. Its starts are not counted: on a busy machine they take many
     * seconds, and the operations in between are what the soak is for. Three times {@link #SECONDS} of wall time
     * end it all the same.
     */
    private void crashes(Random rnd) {
        long hardStop = System.nanoTime() + Duration.ofSeconds(3L * SECONDS).toNanos();
        long upMillis = 0;
        try {
            while (System.nanoTime() < hardStop) {
                long pause = Math.min(3000 + rnd.nextInt(5000), SECONDS * 1000L - upMillis);
                Thread.sleep(pause);
                upMillis += pause;
                if (upMillis >= SECONDS * 1000L) break;
                epoch.incrementAndGet();
                daemon.kill9();
                tally.computeIfAbsent("daemon kill -9", k -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(rnd.nextInt(1500));
                long t0 = System.nanoTime();
                daemon.start();
                epoch.incrementAndGet();
                System.out.printf("soak: daemon killed and back in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (Throwable t) {
            broken.add(t);
        }
    }

    private void report() {
        System.out.println("soak: operations (ok / refused while the daemon was up / cut off by a crash):");
        new TreeMap<>(tally).forEach((k, v) -> System.out.println("  " + k + ": " + v));
        var distinct = calmFailures.stream().map(f -> f.replaceAll("[0-9a-f]{12,64}", "<id>").replaceAll("soak-\\d+", "<name>"))
                .collect(Collectors.groupingBy(f -> f.replaceAll("^\\S+ ", ""), TreeMap::new, Collectors.counting()));
        System.out.println("soak: refusals while the daemon was up:");
        distinct.forEach((k, v) -> System.out.println("  " + v + "x " + k));
        System.out.printf("soak: %d containers created, %d removed, %d volume writes completed%n",
                model.known.size(), model.removed.size(), model.markers.size());
    }

    private static void report(Map<String, Seen> seen) {
        System.out.println("soak: after the last crash: " + seen.values().stream()
                .collect(Collectors.groupingBy(s -> s.status() + (s.running() ? "" : " " + s.exitCode()), TreeMap::new, Collectors.counting())));
    }

    // ---- the checks ---------------------------------------------------------------------------------------

    record Seen(String id, String name, String status, boolean running, int pid, int exitCode, int restartCount) {}

    /** Every container as the Docker CLI inspects it. */
    private Map<String, Seen> snapshot() throws Exception {
        var ids = daemon.docker("ps", "-aq", "--no-trunc").out().lines().filter(s -> !s.isBlank()).toList();
        var out = new TreeMap<String, Seen>();
        if (ids.isEmpty()) return out;
        var args = new ArrayList<>(List.of("inspect", "-f",
                "{{.Id}} {{.Name}} {{.State.Status}} {{.State.Running}} {{.State.Pid}} {{.State.ExitCode}} {{.RestartCount}}"));
        args.addAll(ids);
        var r = daemon.docker(args.toArray(String[]::new));
        // A --rm container whose client a crash cut off may be removed between the two commands: then it is not there.
        assertThat(r.err().lines().filter(l -> !l.contains("No such")).toList())
                .as("seed %d: inspect of every listed container: %s", SEED, r).isEmpty();
        for (String line : r.out().lines().toList()) {
            String[] f = line.split(" ");
            out.put(f[0], new Seen(f[0], f[1].substring(1), f[2], Boolean.parseBoolean(f[3]), Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]), Integer.parseInt(f[6])));
        }
        return out;
    }

    /**
     * Waits until no container is restarting or still finishing its own run, and two snapshots 2 s apart agree (the
     * daemon starts its "always" containers in the background after a start).
     */
    private Map<String, Seen> settled() throws Exception {
        var last = new java.util.concurrent.atomic.AtomicReference<Map<String, Seen>>(Map.of());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            var now = snapshot();
            boolean quiet = now.values().stream().noneMatch(s -> s.status().equals("restarting")
                    || s.running() && model.known.containsKey(s.id()) && model.known.get(s.id()).kind() != Kind.SERVER);
            boolean same = now.equals(last.get());
            last.set(now);
            return quiet && same;
        });
        return last.get();
    }

    private void checkInvariants(Map<String, Seen> seen) throws Exception {
        var soft = new SoftAssertions();
        var host = new HostTraces(daemon);
        String links = HostTraces.links();
        var tasks = host.runcTasks();
        var monitors = host.monitors();
        var leases = host.leases();
        var mounts = host.mounts();
        String ctx = "seed " + SEED + ": ";

        // Every container the test knows is there, unless its removal succeeded; a removed one is gone for good.
        for (Known k : model.known.values()) {
            if (model.removed.contains(k.id())) {
                soft.assertThat(seen).as(ctx + "removed container %s (%s) is listed again", k.name(), k.id()).doesNotContainKey(k.id());
            } else if (!model.maybeRemoved.contains(k.id())) {
                soft.assertThat(seen).as(ctx + "%s %s (%s) whose create returned its id, never removed, is listed", k.kind(), k.name(), k.id())
                        .containsKey(k.id());
            }
        }
        var listedNames = seen.values().stream().map(Seen::name).collect(Collectors.toSet());
        for (String n : model.removedNames) soft.assertThat(listedNames).as(ctx + "run --rm container %s that returned 0 is gone", n).doesNotContain(n);

        // The containers that ran to their own end show their own exit code.
        for (Known k : model.known.values()) {
            Seen s = seen.get(k.id());
            if (s == null || k.kind() == Kind.SERVER) continue;
            soft.assertThat(s.status() + " " + s.exitCode()).as(ctx + "%s %s (%s) ran `exit %d`", k.kind(), k.name(), k.id(), k.exitCode())
                    .isEqualTo("exited " + k.exitCode());
            if (k.kind() == Kind.RETRIER) soft.assertThat(s.restartCount()).as(ctx + "restarts of %s", k.name()).isLessThanOrEqualTo(2);
        }

        // A server ends only by the user's stop, kill or rm (SIGKILL, as sleep and httpd as PID 1 ignore SIGTERM), never
        // by a lost task (255) or a start that failed half-way (128).
        for (Known k : model.known.values()) {
            Seen s = seen.get(k.id());
            if (s == null || k.kind() != Kind.SERVER || !s.status().equals("exited")) continue;
            soft.assertThat(s.exitCode()).as(ctx + "exit code of server %s (%s), stopped or killed", k.name(), k.id()).isIn(0, 137, 143);
        }

        // The daemon's view of each container agrees with the host's: a running one owns a task, a monitor, its root
        // filesystem mount, a lease, a veth and cgroups; any other owns none of them.
        int expectedListeners = 0;
        for (Seen s : seen.values()) {
            String what = ctx + s.name() + " (" + s.id() + ", " + s.status() + ")";
            soft.assertThat(s.status()).as(what + ": a settled state").isIn("created", "running", "exited");
            boolean up = s.running();
            soft.assertThat(tasks.get(s.id())).as(what + ": runc task").isEqualTo(up ? "running" : null);
            soft.assertThat(monitors.contains(s.id())).as(what + ": conmon monitor").isEqualTo(up);
            soft.assertThat(mounts.contains(host.rootfsMount(s.id()))).as(what + ": rootfs mounted").isEqualTo(up);
            soft.assertThat(leases.containsKey(s.id())).as(what + ": bridge lease").isEqualTo(up);
            soft.assertThat(HostTraces.veth(links, s.id())).as(what + ": veth").isEqualTo(up);
            soft.assertThat(!HostTraces.cgroups(s.id()).isEmpty()).as(what + ": cgroups").isEqualTo(up);
            if (up) soft.assertThat(ProcessHandle.of(s.pid())).as(what + ": its pid %d is alive", s.pid()).isPresent();
            Known k = model.known.get(s.id());
            boolean ports = k != null ? k.ports() : daemon.docker("inspect", "-f", "{{json .HostConfig.PortBindings}}", s.id()).out().contains("80/tcp");
            if (ports) {
                var port = daemon.docker("port", s.id(), "80/tcp");
                if (up) {
                    expectedListeners++;
                    String hp = port.out().strip().replaceAll(".*:", "");
                    var curl = Cli.run(List.of("curl", "-s", "--max-time", "5", "http://127.0.0.1:" + hp + "/hostname"), Map.of(), null);
                    soft.assertThat(curl.out()).as(what + ": its published port %s answers", port.out().strip()).isEqualTo(s.id().substring(0, 12) + "\n");
                } else {
                    soft.assertThat(port.out()).as(what + ": no published port while stopped").isEmpty();
                }
            }
        }
        // Nothing held for a container the daemon does not list at all (one removed, or never committed).
        for (String id : tasks.keySet()) soft.assertThat(seen).as(ctx + "runc task %s belongs to a listed container", id).containsKey(id);
        for (String id : monitors) soft.assertThat(seen).as(ctx + "conmon of %s belongs to a listed container", id).containsKey(id);
        for (String id : leases.keySet()) soft.assertThat(seen).as(ctx + "lease of %s belongs to a listed container", id).containsKey(id);
        var running = seen.values().stream().filter(Seen::running).map(s -> host.rootfsMount(s.id())).collect(Collectors.toSet());
        soft.assertThat(mounts).as(ctx + "mounts under the daemon's roots are running containers' root filesystems").allMatch(running::contains);
        for (String id : everyId(seen)) {
            if (!seen.containsKey(id)) {
                soft.assertThat(HostTraces.cgroups(id)).as(ctx + "cgroups of %s, which is not listed", id).isEmpty();
                soft.assertThat(HostTraces.veth(links, id)).as(ctx + "veth of %s, which is not listed", id).isFalse();
            }
        }
        soft.assertThat(host.tcpListeners()).as(ctx + "the daemon listens only for running containers' published ports").isEqualTo(expectedListeners);

        // docker ps -a and berth ps -a list the same containers in the same states.
        soft.assertThat(psRows(daemon.berth("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.State}}")))
                .as(ctx + "berth ps -a and docker ps -a agree")
                .isEqualTo(psRows(daemon.docker("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.State}}")));

        // Volumes: every completed write is there, seen from the host and from a container; rm -v took the anonymous
        // volumes it was asked to, rm alone left them.
        var file = daemon.dataRoot().resolve("volumes").resolve(VOLUME).resolve("_data/log");
        var onHost = Files.exists(file) ? Set.copyOf(Files.readAllLines(file)) : Set.<String>of();
        soft.assertThat(model.markers).as(ctx + "completed writes in the volume, read on the host").isSubsetOf(onHost);
        var inContainer = daemon.docker("run", "--rm", "-v", VOLUME + ":/data", "busybox", "sh", "-c", "cat /data/log 2>/dev/null; true");
        soft.assertThat(model.markers).as(ctx + "completed writes in the volume, read in a container")
                .isSubsetOf(Set.copyOf(inContainer.out().lines().toList()));
        var volumes = Set.copyOf(daemon.docker("volume", "ls", "-q").out().lines().toList());
        soft.assertThat(volumes).as(ctx + "the shared volume").contains(VOLUME);
        soft.assertThat(model.volumesKept).as(ctx + "anonymous volumes of containers removed without -v").isSubsetOf(volumes);
        soft.assertThat(model.volumesGone).as(ctx + "anonymous volumes of containers removed with -v").doesNotContainAnyElementsOf(volumes);
        soft.assertAll();
    }

    /** The published ports of the running containers that publish any, with the pid they ran with. */
    private Map<String, String> servedPorts(Map<String, Seen> seen) throws Exception {
        var out = new TreeMap<String, String>();
        for (Seen s : seen.values()) {
            if (!s.running()) continue;
            var port = daemon.docker("port", s.id());
            if (port.exit() == 0 && !port.out().isBlank()) out.put(s.id(), s.pid() + " " + port.out().strip());
        }
        return out;
    }

    /** A container that ran on through the crash still serves its published ports on the same host ports. */
    private void checkPortsKept(Map<String, String> before, Map<String, Seen> seen) throws Exception {
        var after = servedPorts(seen);
        var soft = new SoftAssertions();
        before.forEach((id, served) -> {
            String pid = served.substring(0, served.indexOf(' ') + 1);
            if (after.getOrDefault(id, "").startsWith(pid)) {
                soft.assertThat(after.get(id)).as("seed %d: ports of %s, which ran on through the crash", SEED, id).isEqualTo(served);
            }
        });
        soft.assertAll();
    }

    private static Set<String> psRows(Cli.Result r) {
        assertThat(r.exit()).as("seed %d: ps -a: %s", SEED, r).isZero();
        return new TreeSet<>(r.out().lines().toList());
    }

    /** Ids of every container the test learned of: the model's and the daemon's. */
    private Set<String> everyId(Map<String, Seen> seen) {
        var all = new TreeSet<>(model.known.keySet());
        all.addAll(seen.keySet());
        return all;
    }

    private Set<String> everyIdEver = new TreeSet<>();

    private void removeEverything() throws Exception {
        var ids = daemon.docker("ps", "-aq", "--no-trunc").out().lines().filter(s -> !s.isBlank()).toList();
        everyIdEver = everyId(snapshot());
        if (!ids.isEmpty()) {
            var args = new ArrayList<>(List.of("rm", "-f", "-v"));
            args.addAll(ids);
            var r = daemon.docker(args.toArray(String[]::new));
            assertThat(r.exit()).as("seed %d: rm -f -v of everything: %s", SEED, r).isZero();
        }
        var volumes = daemon.docker("volume", "ls", "-q").out().lines().filter(s -> !s.isBlank()).toList();
        if (!volumes.isEmpty()) {
            var args = new ArrayList<>(List.of("volume", "rm"));
            args.addAll(volumes);
            var r = daemon.docker(args.toArray(String[]::new));
            assertThat(r.exit()).as("seed %d: volume rm of everything: %s", SEED, r).isZero();
        }
    }

    private void checkNothingLeft() throws Exception {
        var host = new HostTraces(daemon);
        var soft = new SoftAssertions();
        String ctx = "seed " + SEED + " after removing everything: ";
        soft.assertThat(daemon.docker("ps", "-aq").out()).as(ctx + "containers").isEmpty();
        soft.assertThat(daemon.berth("volume", "ls", "-q").out()).as(ctx + "volumes").isEmpty();
        soft.assertThat(host.mounts()).as(ctx + "mounts").isEmpty();
        soft.assertThat(host.runcTasks()).as(ctx + "runc tasks").isEmpty();
        soft.assertThat(host.monitors()).as(ctx + "conmon monitors").isEmpty();
        soft.assertThat(host.leases()).as(ctx + "bridge leases").isEmpty();
        soft.assertThat(host.tcpListeners()).as(ctx + "published ports").isZero();
        String links = HostTraces.links();
        var leftovers = new HashMap<String, Object>();
        for (String id : everyIdEver) {
            if (HostTraces.veth(links, id)) leftovers.put(id + " veth", true);
            var cg = HostTraces.cgroups(id);
            if (!cg.isEmpty()) leftovers.put(id + " cgroups", cg);
        }
        soft.assertThat(leftovers).as(ctx + "veths and cgroups").isEmpty();
        soft.assertThat(Files.exists(daemon.dataRoot().resolve("volumes").resolve(VOLUME))).as(ctx + "the volume's directory").isFalse();
        // No per-container file either: records, layers, mount and port records, bundles, monitors' state, exec state.
        for (var dir : List.of(daemon.dataRoot().resolve("containers"), daemon.dataRoot().resolve("overlay/containers"),
                daemon.dataRoot().resolve("mounts"), daemon.dataRoot().resolve("ports"), daemon.execRoot().resolve("bundles"),
                daemon.execRoot().resolve("rootfs-ops"), daemon.execRoot().resolve("runtime/tasks"),
                daemon.execRoot().resolve("runtime/exits"), daemon.execRoot().resolve("runtime/execs"),
                daemon.execRoot().resolve("runtime/runc"))) {
            soft.assertThat(entries(dir)).as(ctx + "entries of %s", dir).isEmpty();
        }
        soft.assertAll();
    }

    private static List<String> entries(java.nio.file.Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
