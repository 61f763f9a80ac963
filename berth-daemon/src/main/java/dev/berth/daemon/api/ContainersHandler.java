package dev.berth.daemon.api;

import dev.berth.common.HumanTime;
import dev.berth.api.ContainerCreateRequest;
import dev.berth.api.IdResponse;
import dev.berth.api.PruneResponse;
import dev.berth.api.WaitResponse;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.AttachHub;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerService.WaitCondition;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogQuery;
import dev.berth.runtime.AttachConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The {@code /containers} endpoints. Each one parses, calls one service method, and renders. */
public final class ContainersHandler {
    private static final Set<String> PS_FILTERS = Set.of("status", "name", "id", "label", "exited", "ancestor", "before", "since", "volume", "health");

    private final ContainerService containers;
    private final ContainerListing listing;
    /** Volumes and mounts (issue #6); null in handlers built without them. */
    private volatile ContainerVolumes volumes;

    public ContainersHandler(ContainerService containers, ContainerListing listing) {
        this.containers = containers;
        this.listing = listing;
    }

    /** Published ports (issue #5); null in handlers built without them. */
    private volatile ContainerPorts ports;
    private volatile ContainerNetworks networks;

    /** Records the create's network aliases and addresses ({@code NetworkingConfig}). */
    public ContainersHandler withNetworks(ContainerNetworks n) {
        this.networks = n;
        return this;
    }

    public ContainersHandler withPorts(ContainerPorts p) {
        this.ports = p;
        return this;
    }

    /** Health checks (issue #7); null in handlers built without them. */
    private volatile ContainerHealth health;

    public ContainersHandler withHealth(ContainerHealth h) {
        this.health = h;
        return this;
    }

    public ContainersHandler withVolumes(ContainerVolumes v) {
        this.volumes = v;
        return this;
    }

    public void register(Router r) {
        r.post("/containers/create", this::create);
        r.get("/containers/json", this::list);
        r.post("/containers/prune", this::prune);
        r.get("/containers/{id}/json", this::inspect);
        r.post("/containers/{id}/start", ex -> { containers.start(ex.param("id")); ex.status(204); });
        r.post("/containers/{id}/stop", ex -> {
            containers.stop(ex.param("id"), ex.queryInt("t"), ex.query("signal"));
            ex.status(204);
        });
        r.post("/containers/{id}/kill", ex -> { containers.kill(ex.param("id"), ex.query("signal")); ex.status(204); });
        r.post("/containers/{id}/restart", ex -> {
            containers.restart(ex.param("id"), ex.queryInt("t"), ex.query("signal"));
            ex.status(204);
        });
        r.post("/containers/{id}/rename", ex -> { containers.rename(ex.param("id"), ex.query("name")); ex.status(204); });
        r.post("/containers/{id}/wait", this::waitFor);
        r.post("/containers/{id}/resize", ex -> {
            containers.resize(ex.param("id"), orZero(ex.queryInt("w")), orZero(ex.queryInt("h")));
            ex.status(200);
        });
        r.delete("/containers/{id}", ex -> {
            String id = containers.get(ex.param("id")).id();
            containers.remove(id, ex.queryBool("force"));
            if (volumes != null) volumes.removed(id, ex.queryBool("v"));
            ex.status(204);
        });
        r.get("/containers/{id}/logs", this::logs);
        r.hijack("POST", "/containers/{id}/attach", this::attach);
    }

    private void create(Exchange ex) throws IOException {
        var raw = ex.readJson(tools.jackson.databind.JsonNode.class);
        if (raw == null || raw.isNull()) throw EngineException.invalid("config cannot be empty in order to create a container");
        ContainerCreateRequest req = dev.berth.api.ApiJson.MAPPER.treeToValue(raw, ContainerCreateRequest.class);
        var mountPoints = volumes == null ? null : volumes.check(raw);
        var bindings = ports == null ? null : ports.check(raw);
        var endpoints = networks == null ? null : networks.check(raw);
        var spec = ContainerViews.spec(req);
        boolean autoRemove = spec.host().autoRemove();
        Container c = containers.create(ex.query("name"), spec, new ContainerService.SideRecords() {
            @Override
            public void write(String id) {
                if (ports != null) ports.attach(id, bindings);
                if (networks != null) networks.attach(id, endpoints);
                if (volumes != null) volumes.attach(id, mountPoints, autoRemove);
            }

            @Override
            public void discard(String id) {
                if (volumes != null) volumes.discard(id);
                if (networks != null) networks.discard(id);
                if (ports != null) ports.discard(id);
            }
        });
        ex.json(201, new IdResponse(c.id(), ContainerPorts.warnings(raw)));
    }

    private void list(Exchange ex) {
        var filters = Filters.parse(ex.query("filters"), PS_FILTERS);
        boolean all = ex.queryBool("all");
        Integer limit = ex.queryInt("limit");
        if (limit != null && limit > 0) all = true;
        boolean size = ex.queryBool("size");
        List<Container> rows = listing.select(containers.list(), filters, all).stream()
                .filter(c -> !filters.has("volume") || volumes != null && volumes.uses(c.id(), filters.get("volume")))
                .filter(c -> !filters.has("health") || filters.get("health").contains(ContainerHealth.filterWord(health, c)))
                .sorted(Comparator.comparing(Container::created).reversed())
                .limit(limit != null && limit > 0 ? limit : Long.MAX_VALUE)
                .toList();
        var summaries = rows.stream().map(c -> ContainerViews.summary(c, size ? containers.sizeRw(c.id()) : null,
                size ? listing.imageSize(c.imageId()) : null)).toList();
        if (volumes == null && ports == null && health == null) {
            ex.json(200, summaries);
            return;
        }
        var out = dev.berth.api.ApiJson.MAPPER.createArrayNode();
        for (int i = 0; i < rows.size(); i++) {
            tools.jackson.databind.node.ObjectNode tree = dev.berth.api.ApiJson.MAPPER.valueToTree(summaries.get(i));
            decorateRow(rows.get(i), tree);
            out.add(tree);
        }
        ex.json(200, out);
    }

    /** What a ps row has beyond the container's own record: its published ports and its mounts (system df uses it too). */
    public void decorateRow(Container c, tools.jackson.databind.node.ObjectNode row) {
        String id = c.id();
        if (ports != null) ports.decorateSummary(c, row);
        if (health != null) health.decorateSummary(id, row);
        if (volumes != null) row.set("Mounts", dev.berth.api.ApiJson.MAPPER.valueToTree(volumes.inspect(id)));
    }

    private void inspect(Exchange ex) {
        Container c = containers.get(ex.param("id"));
        var view = ContainerViews.inspect(c, listing.paths(c), ex.queryBool("size") ? containers.sizeRw(c.id()) : null);
        tools.jackson.databind.node.ObjectNode tree = dev.berth.api.ApiJson.MAPPER.valueToTree(view);
        if (ports != null) ports.decorateInspect(c, tree);
        if (volumes != null) volumes.decorate(c.id(), tree);
        ContainerHealth.decorateInspect(health, c, tree);
        ex.json(200, tree);
    }

    private void prune(Exchange ex) {
        var filters = Filters.parse(ex.query("filters"), Set.of("label", "until"));
        Instant until = filters.has("until") ? Timestamps.parse(filters.get("until").getFirst()) : null;
        var result = containers.prune(c -> filters.labelsMatch(c.config().labels()) && (until == null || c.created().isBefore(until)));
        ex.json(200, new PruneResponse(result.removed(), result.reclaimed()));
    }

    /** The head goes out at once, the body when the condition holds (clients start the container meanwhile). */
    private void waitFor(Exchange ex) throws Exception {
        String cond = ex.query("condition");
        WaitCondition condition = switch (cond == null || cond.isEmpty() ? "not-running" : cond) {
            case "not-running" -> WaitCondition.NOT_RUNNING;
            case "next-exit" -> WaitCondition.NEXT_EXIT;
            case "removed" -> WaitCondition.REMOVED;
            default -> throw EngineException.invalid("invalid condition: \"%s\"", cond);
        };
        var future = containers.waitFor(ex.param("id"), condition);
        try (OutputStream out = ex.stream(200, "application/json")) {
            int code = future.get();
            out.write(dev.berth.api.ApiJson.MAPPER.writeValueAsBytes(new WaitResponse(code, null)));
            out.write('\n');
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private void logs(Exchange ex) throws Exception {
        boolean stdout = ex.queryBool("stdout"), stderr = ex.queryBool("stderr");
        if (!stdout && !stderr) throw EngineException.invalid("Bad parameters: you must choose at least one stream");
        Container c = containers.get(ex.param("id"));
        dev.berth.engine.logs.ContainerLogs.requireReadable(c.spec().host().logConfig());
        String tail = ex.query("tail");
        int tailN = tail == null || tail.isEmpty() || tail.equals("all") ? -1 : parseTail(tail);
        var query = new LogQuery(stdout, stderr, Timestamps.parseOrNull(ex.query("since")),
                Timestamps.parseOrNull(ex.query("until")), tailN, ex.queryBool("follow"));
        boolean timestamps = ex.queryBool("timestamps");
        boolean multiplexed = !c.config().tty();
        try (OutputStream out = ex.stream(200, multiplexed ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream");
                // One network write per 64 KiB, not per line: a write per entry made logs slower than Docker's.
                OutputStream buffered = new java.io.BufferedOutputStream(out, 64 * 1024)) {
            containers.logs(c.id(), query, new dev.berth.engine.logs.CriLogReader.Sink() {
                @Override
                public boolean accept(LogEntry entry) throws IOException {
                    if (ex.clientGone()) return false;
                    byte[] ts = timestamps ? (HumanTime.rfc3339(entry.time()) + " ").getBytes(StandardCharsets.US_ASCII) : EMPTY;
                    int stream = entry.stream() == LogEntry.Stream.STDERR ? StreamFrames.STDERR : StreamFrames.STDOUT;
                    if (multiplexed) StreamFrames.writeHeader(buffered, stream, ts.length + entry.data().length);
                    buffered.write(ts);
                    buffered.write(entry.data());
                    return true;
                }

                @Override
                public void caughtUp() throws IOException {
                    buffered.flush();
                }
            });
        }
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static int parseTail(String tail) {
        try {
            return Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid tail value: %s", tail);
        }
    }

    /**
     * Hijacks the connection and streams the container's output until its run ends; with {@code stdin=1} the client's
     * bytes go to the container's stdin. The client is registered before the response head goes out, because the
     * Docker CLI starts the container as soon as it has the head.
     */
    private void attach(Exchange ex) throws Exception {
        Container c = containers.get(ex.param("id"));
        String detachKeys = ex.query("detachKeys");
        byte[] keys = DetachKeys.parse(detachKeys);
        if (keys == null) throw EngineException.invalid("Invalid detach keys (%s) provided", detachKeys);
        boolean multiplexed = !c.config().tty();
        boolean wantOut = ex.queryBool("stdout"), wantErr = ex.queryBool("stderr");
        boolean stream = ex.queryBool("stream") || !ex.queryBool("logs");
        OutputStream out = ex.hijack(multiplexed);
        var done = new CountDownLatch(1);
        AttachHub.Client client = new AttachHub.Client() {
            @Override
            public boolean output(AttachConnection.Stream s, byte[] data) {
                boolean err = s == AttachConnection.Stream.STDERR;
                if (err ? !wantErr : !wantOut) return true;
                try {
                    StreamFrames.write(out, multiplexed, err ? StreamFrames.STDERR : StreamFrames.STDOUT, data, 0, data.length);
                    return true;
                } catch (IOException e) {
                    done.countDown();
                    return false;
                }
            }

            @Override
            public void closed() {
                done.countDown();
            }
        };
        if (ex.queryBool("logs")) {
            containers.logs(c.id(), new LogQuery(wantOut, wantErr, null, null, -1, false), e -> client.output(
                    e.stream() == LogEntry.Stream.STDERR ? AttachConnection.Stream.STDERR : AttachConnection.Stream.STDOUT, e.data()));
        }
        if (!stream) {
            out.close();
            return;
        }
        Runnable detach = containers.attach(c.id(), client);
        ex.onClose(done::countDown);
        // As dockerd (container/stream/attach.go), only a TTY's input is watched for the detach keys.
        byte[] watched = c.config().tty() ? keys : null;
        Thread stdin = ex.queryBool("stdin") ? Thread.ofVirtual().start(() -> pumpStdin(ex, c, watched, done)) : null;
        try {
            done.await();
        } finally {
            if (stdin != null) stdin.interrupt(); // it may still wait for a start that will not come
            detach.run();
            out.close();
        }
    }

    /**
     * Copies the client's input to the container. With {@code keys}, the detach sequence ends this client's attach
     * instead (the container runs on, its stdin left open) and is reported as a {@code detach} event.
     */
    private void pumpStdin(Exchange ex, Container c, byte[] keys, CountDownLatch done) {
        try {
            if (DetachKeys.copy(ex.body(), keys, (b, off, len) -> containers.writeStdin(c.id(), b, off, len))) {
                containers.detached(c.id());
                done.countDown();
                return;
            }
            if (c.config().stdinOnce()) containers.closeStdin(c.id());
        } catch (IOException | InterruptedException e) {
            // the client went away or detached; the container keeps running
        }
    }
}
