package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.runtime.Runtime;
import dev.berth.sys.cgroups.Cgroups;
import dev.berth.sys.cgroups.HostCounters;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a user does to a running container besides starting and stopping it: pause and unpause (the cgroup freezer),
 * and changing its cgroup limits ({@code update}). Each change runs under the container's lock through
 * {@link ContainerService#change}, in the service's order: check, change the runtime, save, publish.
 */
public final class ContainerControls {
    /** A container after a change, and the event to publish for it (or null). */
    record Changed(Container container, String event) {}

    /** Docker's CFS period for {@code --cpus}, in microseconds. */
    private static final long CPU_PERIOD = 100_000;

    private final ContainerService containers;
    private final Cgroups cgroups;

    public ContainerControls(ContainerService containers, Cgroups cgroups) {
        this.containers = containers;
        this.cgroups = cgroups;
    }

    public void pause(String idOrName) {
        containers.change(idOrName, c -> {
            switch (c.state().status()) {
                case RUNNING -> { }
                case PAUSED -> throw EngineException.conflict("Container %s is already paused", c.id());
                case RESTARTING -> throw EngineException.conflict("Container %s is restarting, wait until the container is running", c.id());
                default -> throw EngineException.conflict("Container %s is not running", c.id());
            }
            runtime().pause(c.id());
            return new Changed(c.withState(c.state().withStatus(ContainerState.Status.PAUSED)), "pause");
        });
    }

    public void unpause(String idOrName) {
        containers.change(idOrName, c -> {
            if (c.state().status() != ContainerState.Status.PAUSED) {
                throw EngineException.conflict("Container %s is not paused", c.id());
            }
            runtime().resume(c.id());
            return new Changed(c.withState(c.state().withStatus(ContainerState.Status.RUNNING)), "unpause");
        });
    }

    /**
     * Docker's {@code update}: the set fields of {@code change} replace the container's limits (applied at once to
     * a running one) and {@code restartPolicy}, when not null, its restart policy. The record keeps them for later
     * starts and daemon restarts.
     *
     * @return warnings for the client (none so far)
     */
    public List<String> update(String idOrName, Limits change, ContainerSpec.RestartPolicy restartPolicy) {
        containers.change(idOrName, c -> {
            var host = c.spec().host();
            if (restartPolicy != null) {
                if (host.autoRemove() && !"no".equals(restartPolicy.name()) && !restartPolicy.name().isEmpty()) {
                    throw EngineException.invalid("Restart policy cannot be updated because AutoRemove is enabled for the container");
                }
                RestartPolicies.validate(restartPolicy, host.autoRemove());
                host = host.withRestartPolicy(restartPolicy);
            }
            Limits limits;
            try {
                limits = host.limits().update(change, HostCounters.onlineCpus());
            } catch (EngineException.Conflict e) {
                throw EngineException.conflict("Cannot update container %s: %s", c.id(), e.getMessage());
            } catch (EngineException e) {
                throw EngineException.invalid("Cannot update container %s: %s", c.id(), e.getMessage());
            }
            host = host.withLimits(limits);
            if (c.state().status() == ContainerState.Status.RUNNING || c.state().status() == ContainerState.Status.PAUSED) {
                try {
                    runtime().update(c.id(), resourceUpdate(limits));
                } catch (Runtime.RuntimeFailure e) {
                    throw EngineException.failure("Cannot update container %s: %s", c.id(), e.getMessage());
                }
            }
            return new Changed(c.withSpec(c.spec().withHost(host)), "update");
        });
        return List.of();
    }

    /** The limits as runc applies them: {@code --cpus} as a quota over Docker's period, no pids limit as -1. */
    static Runtime.ResourceUpdate resourceUpdate(Limits l) {
        Long period = null;
        Long quota = null;
        if (l.nanoCpus() != null && l.nanoCpus() > 0) {
            period = CPU_PERIOD;
            quota = l.nanoCpus() * CPU_PERIOD / 1_000_000_000L;
        }
        return new Runtime.ResourceUpdate(positive(l.memory()), positive(l.memoryReservation()),
                l.memorySwap() != null && (l.memorySwap() > 0 || l.memorySwap() == -1) ? l.memorySwap() : null,
                positive(l.cpuShares()), period, quota, emptyToNull(l.cpusetCpus()), emptyToNull(l.cpusetMems()),
                l.pidsLimit() == null ? -1L : l.pidsLimit());
    }

    /**
     * Docker's {@code top}: the host's {@code ps} with {@code psArgs} (default {@code -ef}), keeping the rows of
     * the container's processes.
     */
    public PsOutput.Table top(String idOrName, String psArgs) {
        String args = psArgs == null || psArgs.isEmpty() ? "-ef" : psArgs;
        PsOutput.validateArgs(args);
        Container c = containers.get(idOrName);
        var pids = Set.copyOf(processes(c));
        var argv = new ArrayList<String>();
        argv.add("ps");
        argv.addAll(List.of(args.trim().split("\\s+")));
        String output;
        try {
            var p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw EngineException.failure("Error running ps: %s", output.strip());
        } catch (IOException e) {
            throw EngineException.failure("Error running ps: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngineException.failure("interrupted while running ps");
        }
        return PsOutput.parse(output, pids);
    }

    /**
     * One reading of the container's resource use. A container that does not run gives a reading without cgroup
     * counters (Docker shows zeros for it).
     */
    public StatsReading stats(String idOrName) {
        Container c = containers.get(idOrName);
        var now = Instant.now();
        int cpus = HostCounters.onlineCpus();
        long memory = HostCounters.memoryTotal();
        var s = c.state().status();
        if ((s != ContainerState.Status.RUNNING && s != ContainerState.Status.PAUSED) || c.state().pid() <= 0) {
            return new StatsReading(c.id(), c.name(), null, null, 0, cpus, memory, null);
        }
        try {
            var sample = cgroups.sample(c.state().pid());
            long system = HostCounters.systemCpuUsage();
            var networks = "host".equals(c.spec().host().networkMode()) ? null
                    : StatsReading.netDev(Path.of("/proc", Integer.toString(c.state().pid()), "net", "dev"));
            return new StatsReading(c.id(), c.name(), now, sample, system, cpus, memory, networks);
        } catch (IOException | RuntimeException e) {
            // The container exited while we read: show it as stopped.
            return new StatsReading(c.id(), c.name(), null, null, 0, cpus, memory, null);
        }
    }

    /** The host pids of the container's processes; 409 unless it runs. */
    List<Integer> processes(Container c) {
        requireRunning(c);
        try {
            return cgroups.procs(c.state().pid());
        } catch (IOException | RuntimeException e) {
            throw EngineException.failure("cannot list the processes of container %s: %s", c.id(), e.getMessage());
        }
    }

    static void requireRunning(Container c) {
        switch (c.state().status()) {
            case RUNNING, PAUSED -> { }
            case RESTARTING -> throw EngineException.conflict("Container %s is restarting, wait until the container is running", c.id());
            default -> throw EngineException.conflict("Container %s is not running", c.id());
        }
    }

    private Runtime runtime() {
        return containers.runtime();
    }

    private static Long positive(Long v) {
        return v != null && v > 0 ? v : null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
