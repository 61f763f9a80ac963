package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docker-java 3.7 (the client under Testcontainers) against berthd, unmodified. */
class DockerJavaIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);
    static DockerClient docker;

    @BeforeAll
    static void start() throws Exception {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(daemon.host()).build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(daemon.host())).build();
        docker = DockerClientImpl.getInstance(config, http);
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) docker.close();
    }

    @Test
    void pingVersionAndImages() {
        docker.pingCmd().exec();
        assertThat(docker.versionCmd().exec().getApiVersion()).isEqualTo("1.50");
        assertThat(docker.listImagesCmd().exec()).anySatisfy(i -> assertThat(i.getRepoTags()).contains("busybox:latest"));
        assertThat(docker.inspectImageCmd("busybox").exec().getConfig().getCmd()).containsExactly("sh");
    }

    @Test
    void containerLifecycle_withSeparateStreams_andTheExitCode() throws Exception {
        String id = docker.createContainerCmd("busybox").withName("dj-life")
                .withCmd("sh", "-c", "echo out; echo err >&2; exit 4").exec().getId();
        docker.startContainerCmd(id).exec();
        int code = docker.waitContainerCmd(id).start().awaitStatusCode(30, TimeUnit.SECONDS);
        assertThat(code).isEqualTo(4);

        var out = new StringBuilder();
        var err = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? err : out).append(new String(frame.getPayload()));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(out).hasToString("out\n");
        assertThat(err).hasToString("err\n");

        var state = docker.inspectContainerCmd("dj-life").exec().getState();
        assertThat(state.getStatus()).isEqualTo("exited");
        assertThat(state.getExitCodeLong()).isEqualTo(4L);
        assertThat(docker.listContainersCmd().withShowAll(true).exec()).anySatisfy(c -> assertThat(c.getNames()).contains("/dj-life"));
        docker.removeContainerCmd(id).exec();
        assertThat(docker.listContainersCmd().withShowAll(true).exec()).noneSatisfy(c -> assertThat(c.getId()).isEqualTo(id));
    }

    @Test
    void errors_areTypedAsDockerJavaExpects() {
        assertThatThrownBy(() -> docker.inspectContainerCmd("no-such-container").exec()).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> docker.createContainerCmd("no-such-image").exec()).isInstanceOf(NotFoundException.class);
        String id = docker.createContainerCmd("busybox").withName("dj-twin").withCmd("sleep", "60").exec().getId();
        assertThatThrownBy(() -> docker.createContainerCmd("busybox").withName("dj-twin").exec()).isInstanceOf(ConflictException.class);
        docker.startContainerCmd(id).exec();
        assertThatThrownBy(() -> docker.removeContainerCmd(id).exec()).isInstanceOf(ConflictException.class);
        docker.removeContainerCmd(id).withForce(true).exec();
    }
}
