package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerServiceTest {
    @TempDir
    Path tmp;

    private static ContainerSpec ttySpec() {
        return new ContainerSpec("busybox", List.of("sh"), null, null, null, null, null, null, null, null, null,
                true, true, true, ContainerSpec.HostSettings.DEFAULT);
    }

    @Test
    void create_whoseSideRecordsFail_leavesNoContainer_noLayer_andTheNameFree() {
        var f = new ServiceFixture(tmp);
        var discarded = new java.util.ArrayList<String>();
        var refusing = new ContainerService.SideRecords() {
            @Override public void write(String id) { throw EngineException.invalid("Duplicate mount point: /data"); }
            @Override public void discard(String id) { discarded.add(id); }
        };
        assertThatThrownBy(() -> f.service.create("web", ServiceFixture.spec(List.of("true")), refusing))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("Duplicate mount point: /data");
        assertThat(f.service.list()).isEmpty();
        assertThat(f.layers.containerLayers()).isEmpty();
        assertThat(discarded).hasSize(1);
        assertThat(f.store.loadAll()).isEmpty();
        assertThat(f.events).isEmpty();
        assertThat(f.service.create("web", ServiceFixture.spec(List.of("true"))).name()).isEqualTo("web");
    }

    @Test
    void create_writesTheSideRecords_beforeTheContainerRecord() {
        var f = new ServiceFixture(tmp);
        var seen = new java.util.ArrayList<String>();
        f.service.create("web", ServiceFixture.spec(List.of("true")), new ContainerService.SideRecords() {
            @Override public void write(String id) {
                seen.add("layer " + f.layers.containerLayers().contains(id) + ", record " + f.store.loadAll().size());
            }
            @Override public void discard(String id) { seen.add("discard"); }
        });
        assertThat(seen).containsExactly("layer true, record 0");
    }

    @Test
    void restore_unmountsTheRootOfAStartThatACrashCutShortBeforeItsTask() throws Exception {
        var f = new ServiceFixture(tmp);
        var created = f.service.create("created", ServiceFixture.spec(List.of("true")));
        var exited = f.service.create("exited", ServiceFixture.spec(List.of("true")));
        f.service.start(exited.id());
        f.runtime.exit(exited.id(), 3);
        f.await(exited.id(), c -> c.state().status() == ContainerState.Status.EXITED);
        // Each start got as far as mounting the root filesystem in its bundle; then the daemon died, before runc create.
        var roots = new java.util.ArrayList<java.nio.file.Path>();
        for (var c : List.of(created, exited)) {
            roots.add(java.nio.file.Files.createDirectories(tmp.resolve("bundles").resolve(c.id()).resolve("rootfs")));
        }
        f.mounts.unmounted.clear();

        f.service = f.newService();
        f.service.restore();
        assertThat(f.mounts.unmounted).containsAll(roots);
        for (var root : roots) assertThat(root.getParent()).doesNotExist();
        assertThat(f.service.get("created").state().status()).isEqualTo(ContainerState.Status.CREATED);
        assertThat(f.service.get("exited").state().exitCode()).isEqualTo(3);
    }

    @Test
    void restore_waitsForTheExitStatusOfATaskThatHasJustEnded_insteadOfTakingItForLost() throws Exception {
        var f = new ServiceFixture(tmp);
        var late = f.service.create("late", ServiceFixture.spec(List.of("true")));
        var lost = f.service.create("lost", ServiceFixture.spec(List.of("true")));
        f.service.start(late.id());
        f.service.start(lost.id());
        // While no daemon runs, both processes end; the monitor of one writes its status a moment after the next
        // daemon looked, the other's never does.
        f.runtime.processEnded(late.id());
        f.runtime.processEnded(lost.id());
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            f.runtime.exitUnreported(late.id(), 3);
        });

        f.service = f.newService();
        f.service.restore();
        assertThat(f.service.get("late").state().status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(f.service.get("late").state().exitCode()).isEqualTo(3);
        assertThat(f.service.get("lost").state().exitCode()).isEqualTo(255);
    }

    @Test
    void anExitProcessedWhenTheDaemonDies_keepsItsExitCode() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("quitter", ServiceFixture.spec(List.of("true")));
        f.service.start(c.id());
        f.runtime.crashAfterDelete = true; // the daemon dies right after removing the exited task (and its status)
        f.runtime.exit(c.id(), 7);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!f.runtime.calls.contains("delete " + c.id()) && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(50); // the exit's thread is dead by now: nothing after the delete ran
        f.runtime.crashAfterDelete = false;

        f.service = f.newService();
        f.service.restore();
        assertThat(f.service.get("quitter").state().status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(f.service.get("quitter").state().exitCode()).isEqualTo(7);
    }

    @Test
    void restore_dropsTheLayerOfACreateThatACrashCutShort() {
        var f = new ServiceFixture(tmp);
        var kept = f.service.create("kept", ServiceFixture.spec(List.of("true")));
        f.layers.prepare("f".repeat(64), ServiceFixture.BUSYBOX.chainId()); // a create that died before writing its record
        f.service = f.newService();
        f.service.restore();
        assertThat(f.layers.containerLayers()).containsExactly(kept.id());
        assertThat(f.service.list()).extracting(Container::id).containsExactly(kept.id());
    }

    @Test
    void resize_whenRunningWithTty_resizesTheTask() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("term", ttySpec());
        f.service.start(c.id());
        f.service.resize("term", 100, 40);
        assertThat(f.runtime.calls).contains("resize " + c.id() + " 100x40");
    }

    @Test
    void resize_whenNotRunning_isAConflict() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("term", ttySpec());
        assertThatThrownBy(() -> f.service.resize(c.id(), 80, 24))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Container " + c.id() + " is not running");
    }

    @Test
    void resize_withoutTty_isAcceptedAndIgnored() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("plain", ServiceFixture.spec(List.of("sleep", "9")));
        f.service.start(c.id());
        f.service.resize(c.id(), 80, 24);
        assertThat(f.runtime.calls).noneMatch(call -> call.startsWith("resize"));
    }

    @Test
    void rename_ofAMissingContainer_isNotFound_beforeTheNewNameIsChecked() {
        var f = new ServiceFixture(tmp);
        assertThatThrownBy(() -> f.service.rename("nope", "x"))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("No such container: nope");
    }

    @Test
    void rename_refusals_sayErrorWhenAllocatingNewName() {
        var f = new ServiceFixture(tmp);
        var a = f.service.create("aa", ServiceFixture.spec(List.of("true")));
        var b = f.service.create("bb", ServiceFixture.spec(List.of("true")));
        assertThatThrownBy(() -> f.service.rename("aa", "bb"))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Error when allocating new name: Conflict. The container name \"/bb\" is already in use by container \""
                        + b.id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
        assertThatThrownBy(() -> f.service.rename("aa", "x"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("Error when allocating new name: Invalid container name (x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> f.service.rename("aa", "/aa"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("Renaming a container with the same name as its current name");
        assertThat(f.service.get("aa").id()).isEqualTo(a.id());
    }

    @Test
    void rename_movesTheName_andFreesTheOldOne() {
        var f = new ServiceFixture(tmp);
        var a = f.service.create("aa", ServiceFixture.spec(List.of("true")));
        f.service.rename("aa", "cc");
        assertThat(f.service.get("cc").id()).isEqualTo(a.id());
        assertThatThrownBy(() -> f.service.get("aa")).isInstanceOf(EngineException.NotFound.class);
        f.service.create("aa", ServiceFixture.spec(List.of("true")));
        assertThat(f.actions(a.id())).containsExactly("create", "rename");
    }

    private static ContainerSpec.HostSettings restart(String policy, int max) {
        var h = ContainerSpec.HostSettings.DEFAULT;
        return new ContainerSpec.HostSettings(false, h.networkMode(), new ContainerSpec.RestartPolicy(policy, max),
                false, false, h.capAdd(), h.capDrop(), h.securityOpt(), 0, false, null);
    }

    @Test
    void restartAlways_startsTheContainerAgainAfterItExits_andCountsIt() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("web", ServiceFixture.spec(List.of("httpd"), restart("always", 0)));
        f.service.start(c.id());
        f.runtime.exit(c.id(), 3);
        var again = f.await(c.id(), x -> x.state().status() == ContainerState.Status.RUNNING && x.state().restartCount() == 1);
        assertThat(again.state().exitCode()).isZero();
        assertThat(f.actions(c.id())).containsExactly("create", "start", "die", "start");
    }

    @Test
    void restartOnFailure_stopsAfterItsRetries_andIgnoresSuccess() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("job", ServiceFixture.spec(List.of("job"), restart("on-failure", 1)));
        f.service.start(c.id());
        f.runtime.exit(c.id(), 1);
        f.await(c.id(), x -> x.state().status() == ContainerState.Status.RUNNING && x.state().restartCount() == 1);
        f.runtime.exit(c.id(), 1);
        var done = f.await(c.id(), x -> x.state().status() == ContainerState.Status.EXITED);
        assertThat(done.state().exitCode()).isEqualTo(1);
        assertThat(done.state().restartCount()).isEqualTo(1);

        var ok = f.service.create("ok", ServiceFixture.spec(List.of("ok"), restart("on-failure", 0)));
        f.service.start(ok.id());
        f.runtime.exit(ok.id(), 0);
        Thread.sleep(300);
        assertThat(f.service.get("ok").state().status()).isEqualTo(ContainerState.Status.EXITED);
    }

    @Test
    void stop_ofARestartAlwaysContainer_isNotUndoneByThePolicy() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("web", ServiceFixture.spec(List.of("httpd"), restart("always", 0)));
        f.service.start(c.id());
        f.service.stop("web", 1, null);
        Thread.sleep(300);
        var s = f.service.get("web").state();
        assertThat(s.status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(s.exitCode()).isEqualTo(143);
        assertThat(s.manuallyStopped()).isTrue();

        f.service.start("web"); // a start by the user clears it
        assertThat(f.service.get("web").state().manuallyStopped()).isFalse();
    }

    @Test
    void kill_withoutAStopSignalConfigured_endsTheRestarts() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("web", ServiceFixture.spec(List.of("httpd"), restart("unless-stopped", 0)));
        f.service.start(c.id());
        f.service.kill("web", "USR1");
        f.runtime.exit(c.id(), 138); // the process died of it
        Thread.sleep(300);
        assertThat(f.service.get("web").state().status()).isEqualTo(ContainerState.Status.EXITED);
    }

    /**
     * Starts {@code c} (restart policy "always") and lets it exit quickly five times: the back-off grows with each
     * quick exit, and after the fifth the wait (1.6 s) is long enough for a test to act during it.
     */
    private static void waitingForRestart(ServiceFixture f, Container c) throws InterruptedException {
        f.service.start(c.id());
        for (int i = 1; i <= 4; i++) {
            f.runtime.exit(c.id(), 1);
            int n = i;
            f.await(c.id(), x -> x.state().restartCount() == n && x.state().status() == ContainerState.Status.RUNNING);
        }
        f.runtime.exit(c.id(), 1);
        f.await(c.id(), x -> x.state().status() == ContainerState.Status.RESTARTING);
    }

    @Test
    void stop_whileWaitingForARestart_stopsItThere() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("web", ServiceFixture.spec(List.of("httpd"), restart("always", 0)));
        waitingForRestart(f, c);
        f.service.stop("web", 10, null);
        assertThat(f.service.get("web").state().status()).isEqualTo(ContainerState.Status.EXITED);
        Thread.sleep(2000); // longer than the wait was
        assertThat(f.service.get("web").state().status()).isEqualTo(ContainerState.Status.EXITED);
        assertThatThrownBy(() -> f.service.kill("web", null)).isInstanceOf(EngineException.Conflict.class);
    }

    @Test
    void remove_ofARestartingContainer_needsForce() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("web", ServiceFixture.spec(List.of("httpd"), restart("always", 0)));
        waitingForRestart(f, c);
        assertThatThrownBy(() -> f.service.remove("web", false))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessageContaining("container is restarting");
        f.service.remove("web", true);
        Thread.sleep(2000);
        assertThat(f.service.list()).isEmpty();
        assertThat(f.runtime.tasks()).isEmpty();
    }

    @Test
    void restore_startsAlwaysContainersTheUserStopped_butNotUnlessStoppedOnes() throws Exception {
        var f = new ServiceFixture(tmp);
        var always = f.service.create("always", ServiceFixture.spec(List.of("a"), restart("always", 0)));
        var unless = f.service.create("unless", ServiceFixture.spec(List.of("u"), restart("unless-stopped", 0)));
        var crashed = f.service.create("crashed", ServiceFixture.spec(List.of("c"), restart("unless-stopped", 0)));
        for (var c : List.of(always, unless, crashed)) f.service.start(c.id());
        f.service.stop("always", 1, null);
        f.service.stop("unless", 1, null);
        f.service.stop("crashed", 1, null);
        f.service.start("crashed");
        f.runtime.exit(crashed.id(), 2);
        f.await(crashed.id(), x -> x.state().restartCount() == 1);

        // a new daemon on the same state
        f.service = f.newService();
        f.service.restore();
        f.await(always.id(), x -> x.state().status() == ContainerState.Status.RUNNING);
        Thread.sleep(300);
        assertThat(f.service.get("unless").state().status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(f.service.get("crashed").state().status()).isEqualTo(ContainerState.Status.RUNNING);
    }

    @Test
    void create_refusesAnInvalidRestartPolicy() {
        var f = new ServiceFixture(tmp);
        assertThatThrownBy(() -> f.service.create("x1", ServiceFixture.spec(List.of("a"), restart("sometimes", 0))))
                .isInstanceOf(EngineException.InvalidArgument.class);
        assertThat(f.service.list()).isEmpty();
    }

    @Test
    void kill_withSigkill_returnsOnceTheContainerHasExited() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("kk", ServiceFixture.spec(List.of("sleep", "9")));
        f.service.start(c.id());
        f.service.kill("kk", null);
        var s = f.service.get("kk").state();
        assertThat(s.status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(s.exitCode()).isEqualTo(137);
        f.service.remove("kk", false); // docker kill k && docker rm k
    }

    @Test
    void kill_withAnotherSignal_returnsOnceSent() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("kk", ServiceFixture.spec(List.of("sleep", "9")));
        f.service.start(c.id());
        f.service.kill("kk", "USR1");
        assertThat(f.runtime.calls).contains("kill " + c.id() + " 10");
        assertThat(f.service.get("kk").state().status()).isEqualTo(ContainerState.Status.RUNNING);
    }

    @Test
    void kill_ofAContainerThatJustExited_isAConflict_notAFailure() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("kk", ServiceFixture.spec(List.of("true")));
        f.service.start(c.id());
        f.runtime.exitUnreported(c.id(), 0);
        assertThatThrownBy(() -> f.service.kill("kk", "USR1"))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("cannot kill container: kk: container " + c.id() + " is not running");
    }

    @Test
    void restart_ofAStoppedContainer_startsIt_andStopOfOneIsNotModified() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("rr", ServiceFixture.spec(List.of("true")));
        f.service.start(c.id());
        f.runtime.exit(c.id(), 0);
        f.await(c.id(), x -> x.state().status() == ContainerState.Status.EXITED);
        assertThatThrownBy(() -> f.service.stop("rr", 1, null)).isInstanceOf(EngineException.NotModified.class);
        f.service.restart("rr", 1, null);
        assertThat(f.service.get("rr").state().status()).isEqualTo(ContainerState.Status.RUNNING);
        assertThat(f.actions(c.id())).endsWith("start", "restart");
    }

    @Test
    void restart_ofAnAutoRemoveContainer_keepsIt() throws Exception {
        var f = new ServiceFixture(tmp);
        var rm = autoRemove();
        var c = f.service.create("rmr", ServiceFixture.spec(List.of("sleep", "9"), rm));
        f.service.start(c.id());
        f.service.restart("rmr", 1, null);
        assertThat(f.service.get("rmr").state().status()).isEqualTo(ContainerState.Status.RUNNING);
        f.runtime.exit(c.id(), 0); // its own exit still removes it
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!f.service.list().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(f.service.list()).isEmpty();
    }

    @Test
    void exit_isRecorded_evenWhenTheRuntimeFailsToRemoveTheTask() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("ee", ServiceFixture.spec(List.of("true")));
        f.service.start(c.id());
        f.runtime.failNextDelete = "runc delete: container is still running";
        f.runtime.exit(c.id(), 3);
        var done = f.await(c.id(), x -> x.state().status() == ContainerState.Status.EXITED);
        assertThat(done.state().exitCode()).isEqualTo(3);
        assertThat(f.runtime.calls).contains("delete " + c.id() + " force");
    }

    @Test
    void forcedRemovalOfARunningContainer_reportsKillAndDieBeforeDestroy() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("doomed", ServiceFixture.spec(List.of("sleep", "300")));
        f.service.start(c.id());
        f.service.remove("doomed", true);
        assertThat(f.actions(c.id())).containsSubsequence("start", "kill", "die", "destroy");
        assertThat(f.events).filteredOn(e -> e.action().equals("die")).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("exitCode", "137"));
    }

    private static ContainerSpec.HostSettings autoRemove() {
        var d = ContainerSpec.HostSettings.DEFAULT;
        return new ContainerSpec.HostSettings(true, d.networkMode(), d.restartPolicy(), false, false, d.capAdd(),
                d.capDrop(), d.securityOpt(), 0, false, null);
    }

    private static ContainerSpec.HostSettings network(String mode) {
        var h = ContainerSpec.HostSettings.DEFAULT;
        return new ContainerSpec.HostSettings(false, mode, h.restartPolicy(), false, false, h.capAdd(), h.capDrop(),
                h.securityOpt(), 0, false, null);
    }

    @Test
    void aNetworkThatDoesNotExist_isAcceptedByCreate_andRefusedByStart_asDockerd() {
        var f = new ServiceFixture(tmp);
        for (String ok : new String[] {"", "default", "bridge", "host", "none"}) {
            f.service.start(f.service.create(null, ServiceFixture.spec(List.of("sleep", "9"), network(ok))).id());
        }
        var c = f.service.create("nonet", ServiceFixture.spec(List.of("true"), network("nosuch")));
        assertThatThrownBy(() -> f.service.start("nonet")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("failed to set up container networking: network nosuch not found");
        var after = f.service.get("nonet");
        assertThat(after.state().status()).isEqualTo(ContainerState.Status.CREATED);
        assertThat(after.state().error()).isEqualTo("failed to set up container networking: network nosuch not found");
        assertThat(f.runtime.calls).noneMatch(call -> call.equals("create " + c.id()));
        assertThat(f.actions(c.id())).containsExactly("create");
    }

    @Test
    void create_refusesAMalformedContainerNetworkMode_andAcceptsOneNamingAContainer_checkedAtStart() {
        var f = new ServiceFixture(tmp);
        var other = f.service.create("other", ServiceFixture.spec(List.of("true")));
        int before = f.service.list().size();
        for (String bad : new String[] {"container", "container:"}) {
            assertThatThrownBy(() -> f.service.create(null, ServiceFixture.spec(List.of("true"), network(bad))))
                    .isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessage("invalid network mode: invalid container format container:<name|id>");
        }
        assertThat(f.service.list()).hasSize(before);
        var joining = f.service.create("nn", ServiceFixture.spec(List.of("true"), network("container:other")));
        assertThatThrownBy(() -> f.service.start(joining.id()))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("cannot join network namespace of a non running container: container other is created");
        var orphan = f.service.create("nn2", ServiceFixture.spec(List.of("true"), network("container:nosuch")));
        assertThatThrownBy(() -> f.service.start(orphan.id()))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("No such container: nosuch");
        assertThat(f.service.get("nn2").state().status()).isEqualTo(ContainerState.Status.CREATED);
        assertThat(other.state().status()).isEqualTo(ContainerState.Status.CREATED);
    }

    @Test
    void detached_publishesTheDetachEvent_withTheContainersAttributes() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("att", ServiceFixture.spec(List.of("sh")));
        f.service.rename("att", "att2");
        f.service.detached("att2");
        assertThat(f.events).filteredOn(e -> e.action().equals("detach")).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(c.id());
            assertThat(e.attributes()).containsEntry("name", "att2").containsEntry("image", "busybox");
        });
    }

    @Test
    void kill_ofAPausedContainer_unpausesIt_onlyForASignalThatEndsIt() throws Exception {
        var f = new ServiceFixture(tmp);
        // With a stop signal configured, dockerd's killWithSignal unpauses only for it or SIGKILL (without one, for any).
        var c = f.service.create("pk", new ContainerSpec("busybox", List.of("sleep", "9"), null, null, null, null, null,
                null, null, "SIGTERM", null, false, false, false, ContainerSpec.HostSettings.DEFAULT));
        f.service.start(c.id());
        new ContainerControls(f.service, dev.berth.sys.cgroups.Cgroups.host()).pause("pk");
        f.service.kill("pk", "SIGUSR1");
        assertThat(f.service.get("pk").state().status()).isEqualTo(ContainerState.Status.PAUSED);
        assertThat(f.runtime.calls).contains("kill " + c.id() + " 10").doesNotContain("resume " + c.id());
        assertThat(f.actions(c.id())).doesNotContain("unpause");
        f.service.kill("pk", "SIGTERM"); // the stop signal: it ends the container, so it must be thawed to get it
        assertThat(f.runtime.calls).containsSubsequence("kill " + c.id() + " 15", "resume " + c.id());
        assertThat(f.actions(c.id())).containsSubsequence("pause", "unpause", "kill");
        // the exit is processed on another thread: let it write its record before the directory goes
        f.await(c.id(), x -> x.state().status() == ContainerState.Status.EXITED);
    }

    @Test
    void kill_ofAnAutoRemoveContainer_thatGoesAtOnce_isNoFailure() throws Exception {
        var f = new ServiceFixture(tmp);
        var rm = autoRemove();
        for (int i = 0; i < 50; i++) {
            var c = f.service.create(null, ServiceFixture.spec(List.of("sleep", "9"), rm));
            f.service.start(c.id());
            f.service.kill(c.id(), "SIGKILL");
        }
        long deadline = System.nanoTime() + 5_000_000_000L; // the last removals finish before the directory goes
        while (!f.service.list().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(f.service.list()).isEmpty();
    }

    @Test
    void remove_waitsForAFileOperationOnThePrivatelyMountedRoot_andDropsTheLock() throws Exception {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("cp", ServiceFixture.spec(List.of("true")));
        var hold = f.service.holdRoot(c.id());
        var removal = Thread.ofVirtual().start(() -> f.service.remove("cp", false));
        Thread.sleep(200);
        assertThat(removal.isAlive()).isTrue();
        assertThat(f.service.get("cp").state().status()).isEqualTo(ContainerState.Status.CREATED);
        hold.close();
        assertThat(removal.join(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(f.service.list()).isEmpty();
        assertThat(f.service.rootLockEntries()).isZero();
    }

    @Test
    void remove_thatFailsBeforeAnythingIsGone_leavesTheContainerAsItWas() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("rf", ServiceFixture.spec(List.of("true")));
        f.mounts.failUnmount = new IllegalStateException("umount: busy");
        assertThatThrownBy(() -> f.service.remove("rf", false)).hasMessage("umount: busy");
        assertThat(f.service.get("rf").state().status()).isEqualTo(ContainerState.Status.CREATED);
        assertThat(f.store.loadAll()).singleElement()
                .satisfies(saved -> assertThat(saved.state().status()).isEqualTo(ContainerState.Status.CREATED));
        f.service.remove("rf", false); // and a second rm does it
        assertThat(f.service.list()).isEmpty();
        assertThat(f.actions(c.id())).containsExactly("create", "destroy");
    }

    @Test
    void remove_thatFailsRemovingTheLayer_leavesItDead_andRmAgainRemovesIt() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("rd", ServiceFixture.spec(List.of("true")));
        f.layers.failRemove = EngineException.failure("cannot remove the layer of %s: still mounted", c.id());
        assertThatThrownBy(() -> f.service.remove("rd", false)).hasMessageContaining("still mounted");
        assertThat(f.service.get("rd").state().status()).isEqualTo(ContainerState.Status.DEAD);
        assertThatThrownBy(() -> f.service.start("rd")).isInstanceOf(EngineException.Conflict.class);
        f.service.remove("rd", false);
        assertThat(f.service.list()).isEmpty();
        assertThat(f.store.loadAll()).isEmpty();
    }
}
