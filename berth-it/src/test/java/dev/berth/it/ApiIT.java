package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Engine API at the HTTP level: versions, errors and bodies as Docker answers them. */
class ApiIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

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
