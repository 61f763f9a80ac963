package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.sys.cgroups.Cgroups;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerControlsTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path tmp;

    private static Limits limits(Long memory, Long swap, Long nanoCpus, Long pids) {
        return new Limits(memory, swap, null, nanoCpus, null, null, null, pids, null, null, null, null, null);
    }

    private static ContainerControls controls(ServiceFixture f) {
        return new ContainerControls(f.service, Cgroups.host());
    }

    @Test
    void pause_freezesARunningContainer_once() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("pz", ServiceFixture.spec(List.of("sleep", "9")));
        f.service.start(c.id());
        controls(f).pause("pz");
        assertThat(f.service.get("pz").state().status()).isEqualTo(ContainerState.Status.PAUSED);
        assertThat(f.runtime.calls).contains("pause " + c.id());
        assertThatThrownBy(() -> controls(f).pause("pz")).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Container " + c.id() + " is already paused");
        controls(f).unpause("pz");
        assertThat(f.service.get("pz").state().status()).isEqualTo(ContainerState.Status.RUNNING);
        assertThatThrownBy(() -> controls(f).unpause("pz")).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Container " + c.id() + " is not paused");
        assertThat(f.actions(c.id())).containsSubsequence("start", "pause", "unpause");
    }

    @Test
    void pause_ofAContainerThatDoesNotRun_isAConflict() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("idle", ServiceFixture.spec(List.of("true")));
        assertThatThrownBy(() -> controls(f).pause("idle")).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Container " + c.id() + " is not running");
        assertThatThrownBy(() -> controls(f).top("idle", null)).isInstanceOf(EngineException.Conflict.class);
    }

    @Test
    void kill_ofAPausedContainer_unpausesItAfterTheSignal() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("pz", ServiceFixture.spec(List.of("sleep", "9")));
        f.service.start(c.id());
        controls(f).pause("pz");
        f.service.kill("pz", "SIGKILL");
        f.await(c.id(), x -> x.state().status() == ContainerState.Status.EXITED);
        assertThat(f.runtime.calls).containsSubsequence("pause " + c.id(), "resume " + c.id());
        assertThat(f.actions(c.id())).containsSubsequence("pause", "unpause", "kill", "die");
    }

    @Test
    void update_ofARunningContainer_goesToTheRuntime_andIntoTheRecord() {
        var f = new ServiceFixture(tmp);
        var spec = ServiceFixture.spec(List.of("sleep", "9"));
        var c = f.service.create("up", spec.withHost(spec.host().withLimits(limits(64 * MB, null, null, null))));
        assertThat(c.spec().host().limits().memorySwap()).isNotNull();
        f.service.start(c.id());
        controls(f).update("up", limits(100 * MB, 200 * MB, 500_000_000L, 0L),
                new ContainerSpec.RestartPolicy("on-failure", 2));
        assertThat(f.runtime.calls).contains("update " + c.id() + " memory=" + 100 * MB + " swap=" + 200 * MB
                + " quota=50000 pids=-1");
        var host = f.service.get("up").spec().host();
        assertThat(host.limits().memory()).isEqualTo(100 * MB);
        assertThat(host.limits().nanoCpus()).isEqualTo(500_000_000L);
        assertThat(host.restartPolicy()).isEqualTo(new ContainerSpec.RestartPolicy("on-failure", 2));
        assertThat(f.actions(c.id())).endsWith("update");
        // The record on disk, as a restarted daemon reads it.
        assertThat(f.store.loadAll()).singleElement()
                .satisfies(saved -> assertThat(saved.spec().host().limits().memory()).isEqualTo(100 * MB));
    }

    @Test
    void update_ofAStoppedContainer_onlyChangesTheRecord_andRefusesWhatCreateRefuses() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("st", ServiceFixture.spec(List.of("true")));
        controls(f).update("st", limits(null, null, null, 10L), null);
        assertThat(f.runtime.calls).noneMatch(call -> call.startsWith("update"));
        assertThat(f.service.get("st").spec().host().limits().pidsLimit()).isEqualTo(10L);
        assertThatThrownBy(() -> controls(f).update("st", limits(MB, null, null, null), null))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("Cannot update container " + c.id() + ": Minimum memory limit allowed is 6MB");
    }

    @Test
    void update_ofTheRestartPolicy_ofAnAutoRemoveContainer_isRefused() {
        var f = new ServiceFixture(tmp);
        var h = ContainerSpec.HostSettings.DEFAULT;
        var host = new ContainerSpec.HostSettings(true, h.networkMode(), h.restartPolicy(), false, false, List.of(),
                List.of(), List.of(), 0, false, null);
        f.service.create("rm", ServiceFixture.spec(List.of("true"), host));
        assertThatThrownBy(() -> controls(f).update("rm", Limits.NONE, new ContainerSpec.RestartPolicy("always", 0)))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("Restart policy cannot be updated because AutoRemove is enabled for the container");
    }
}
