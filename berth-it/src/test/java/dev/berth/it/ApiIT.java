package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Engine API at the HTTP level: versions, errors and bodies as Docker answers them. */
class ApiIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    /**
     * Clients that keep connections alive (curl, the Docker CLI, docker-java) hang up after their last response: the
     * daemon closes its end too, rather than keeping the socket (and, with Netty's half-closure, a busy event loop).
     */
    @Test
    void connectionsClosedByKeepAliveClients_areClosedByTheDaemonToo() throws Exception {
        long pid = daemon.process().pid();
        var sock = daemon.host().replace("unix://", "");
        int before = openSockets(pid);
        for (int i = 0; i < 20; i++) {
            var r = Cli.run(java.util.List.of("curl", "-s", "--unix-socket", sock, "http://localhost/_ping"), java.util.Map.of(), null);
            assertThat(r.out()).isEqualTo("OK");
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (openSockets(pid) >= before + 20 && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(openSockets(pid)).isLessThan(before + 5);
    }

    /** The sockets the process has open. */
    private static int openSockets(long pid) throws java.io.IOException {
        int n = 0;
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(pid), "fd"))) {
            for (var fd : fds.toList()) {
                try {
                    if (java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:")) n++;
                } catch (java.io.IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return n;
    }

    @Test
    void ping_carriesTheApiVersion() throws Exception {
        var r = daemon.request("GET", "/_ping", null);
        assertThat(r).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("Api-Version: 1.50").endsWith("OK");
        assertThat(daemon.request("HEAD", "/_ping", null)).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void versionPrefixes_areCheckedAgainstTheSupportedRange() throws Exception {
        assertThat(daemon.request("GET", "/v1.24/version", null)).startsWith("HTTP/1.1 200");
        assertThat(daemon.request("GET", "/v1.50/version", null)).startsWith("HTTP/1.1 200");
        assertThat(daemon.request("GET", "/v1.23/version", null)).startsWith("HTTP/1.1 400")
                .contains("{\"message\":\"client version 1.23 is too old. Minimum supported API version is 1.24");
        assertThat(daemon.request("GET", "/v1.51/version", null)).startsWith("HTTP/1.1 400").contains("too new");
    }

    @Test
    void errors_haveDockersStatusAndBody() throws Exception {
        assertThat(daemon.request("GET", "/containers/nope/json", null)).startsWith("HTTP/1.1 404")
                .endsWith("{\"message\":\"No such container: nope\"}");
        assertThat(daemon.request("GET", "/no/such/endpoint", null)).startsWith("HTTP/1.1 404");
        assertThat(daemon.request("POST", "/containers/create", "{not json")).startsWith("HTTP/1.1 400").contains("\"message\"");
        assertThat(daemon.request("POST", "/containers/create", "{\"Image\":\"Bad:Ref\"}")).startsWith("HTTP/1.1 400");
        assertThat(daemon.request("GET", "/containers/json", null)).startsWith("HTTP/1.1 200").endsWith("[]");
    }

    @Test
    void startingARemovedContainer_is404() throws Exception {
        String id = daemon.berth("create", "busybox", "true").out().strip();
        daemon.berth("rm", id);
        assertThat(daemon.request("POST", "/containers/" + id + "/start", null)).startsWith("HTTP/1.1 404");
        var r = daemon.berth("start", id);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("No such container: " + id);
    }
}
