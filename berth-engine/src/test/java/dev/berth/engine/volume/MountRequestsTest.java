package dev.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class MountRequestsTest {
    private static JsonNode json(String s) {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    @Test
    void binds_namedVolumes_andHostPaths_asDockerReadsThem() {
        var m = MountRequests.parse(json("{'HostConfig':{'Binds':['data:/data','/srv/x/../y:/y:ro,rshared','v2:/v:nocopy']}}"), List.of());
        assertThat(m).hasSize(3);
        assertThat(m.get(0)).extracting(MountPoint::type, MountPoint::name, MountPoint::destination, MountPoint::rw, MountPoint::mode)
                .containsExactly("volume", "data", "/data", true, "z");
        assertThat(m.get(1)).extracting(MountPoint::type, MountPoint::source, MountPoint::rw, MountPoint::propagation, MountPoint::createSource)
                .containsExactly("bind", "/srv/y", false, "rshared", true);
        assertThat(m.get(2).noCopy()).isTrue();
    }

    @Test
    void anonymousVolumes_fromConfigAndImage_yieldToExplicitMounts() {
        var m = MountRequests.parse(json("{'Volumes':{'/a':{}},'HostConfig':{'Binds':['named:/b']}}"), List.of("/b", "/c"));
        assertThat(m).extracting(MountPoint::destination).containsExactly("/b", "/a", "/c");
        assertThat(m.get(1).name()).isNull();
        assertThat(m.get(1).volumeLabels()).containsKey(Volume.ANONYMOUS_LABEL);
    }

    @Test
    void mounts_tmpfs_andVolumeOptions() {
        var m = MountRequests.parse(json("{'HostConfig':{'Mounts':[{'Type':'tmpfs','Target':'/t','TmpfsOptions':{'SizeBytes':1048576,'Mode':1023}},"
                + "{'Type':'volume','Source':'vv','Target':'/v','ReadOnly':true,'VolumeOptions':{'NoCopy':true,'Labels':{'a':'b'}}}]}}"), List.of());
        assertThat(m.get(0).tmpfsOptions()).isEqualTo("size=1024k,mode=1777");
        assertThat(m.get(1)).extracting(MountPoint::rw, MountPoint::noCopy, MountPoint::mode).containsExactly(false, true, "");
        assertThat(m.get(1).volumeLabels()).containsEntry("a", "b");
    }

    @Test
    void badInput_isRefusedWithDockersMessages(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Binds':['bad@name:/x']}}"), List.of()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid characters for a local volume name");
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Binds':['vv:relative']}}"), List.of()))
                .hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Binds':['vv:/']}}"), List.of()))
                .hasMessageContaining("destination can't be '/'");
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Binds':['aa:/x','bb:/x/']}}"), List.of()))
                .hasMessage("Duplicate mount point: /x");
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Binds':['vv:/x:bogus']}}"), List.of()))
                .hasMessage("invalid mode: bogus");
        String missing = dir.resolve("nope").toString();
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Mounts':[{'Type':'bind','Source':'" + missing + "','Target':'/x'}]}}"), List.of()))
                .hasMessage("invalid mount config for type \"bind\": bind source path does not exist: " + missing);
        Files.createDirectory(dir.resolve("there"));
        assertThat(MountRequests.parse(json("{'HostConfig':{'Mounts':[{'Type':'bind','Source':'" + dir.resolve("there") + "','Target':'/x'}]}}"), List.of()))
                .hasSize(1);
    }

    @Test
    void volumesFrom_readOnly() {
        var p = MountRequests.parse(json("{'HostConfig':{'Binds':['vv:/v']}}"), List.of()).getFirst();
        assertThat(MountRequests.inherit(p, "ro")).extracting(MountPoint::rw, MountPoint::mode).containsExactly(false, "ro");
        assertThat(MountRequests.inherit(p, "")).isEqualTo(p);
    }

    @Test
    void aTmpfsDestination_takesNoSecondMount_andAnImageVolumeThereIsSkipped() {
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Binds':['v1:/data'],'Tmpfs':{'/data':''}}}"), List.of()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("Duplicate mount point: /data");
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Mounts':[{'Type':'tmpfs','Target':'/data/'}],'Tmpfs':{'/data':'size=1m'}}}"), List.of()))
                .hasMessage("Duplicate mount point: /data");
        var inherited = new MountPoint("volume", "v1", null, "/data", true, "", "", false, false, null, null, null);
        assertThatThrownBy(() -> MountRequests.parse(json("{'HostConfig':{'Tmpfs':{'/data':''}}}"), List.of(), List.of(inherited)))
                .hasMessage("Duplicate mount point: /data");
        var m = MountRequests.parse(json("{'Volumes':{'/data':{}},'HostConfig':{'Tmpfs':{'/data':''}}}"), List.of("/data", "/other"));
        assertThat(m).extracting(MountPoint::destination).containsExactly("/other");
    }
}
