package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI's own logic without a daemon: flags to requests, Docker's wording and exit codes. Real runs are in berth-it. */
class CliUnitTest {
    record Run(int exit, String out, String err) {}

    static Run berth(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownFlag_exits125_withDockersWording() {
        var r = berth(Map.of(), "ps", "--bogus");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("berth: unknown flag: --bogus\nSee 'berth ps --help'.\n");
    }

    @Test
    void unknownCommand_isNamed() {
        var r = berth(Map.of(), "container", "nope");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).startsWith("berth: unknown command: berth container nope\n");
    }

    @Test
    void onlyTheCommandUsedIsBuilt_butHelpListsThemAll() {
        assertThat(berth(Map.of(), "--help").out()).contains("run").contains("images").contains("container");
        assertThat(berth(Map.of(), "image", "--help").out()).contains("import").contains("inspect").contains("tag");
        var r = berth(Map.of("BERTH_HOST", "unix:///nonexistent/berth.sock"), "-H", "unix:///nonexistent/other.sock", "image", "ls");
        assertThat(r.err()).contains("unix:///nonexistent/other.sock");
    }

    @Test
    void badHost_isAUsageError_notAStackTrace() {
        var r = berth(Map.of(), "-H", "foo", "ps");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).startsWith("berth: invalid host: foo");
    }

    @Test
    void missingImage_exits125() {
        var r = berth(Map.of(), "run");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).startsWith("berth: 'berth run' requires at least 1 argument");
    }

    @Test
    void noDaemon_exits1_withDockersMessage() {
        var r = berth(Map.of("BERTH_HOST", "unix:///nonexistent/berth.sock"), "ps");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Cannot connect to the Berth daemon at unix:///nonexistent/berth.sock. Is the daemon running?\n");
    }

    @Test
    void help_isAvailableEverywhere_andMinusHIsTheHostname() {
        var r = berth(Map.of(), "container", "ls", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage:").contains("--no-trunc");
        assertThat(berth(Map.of(), "run", "--help").out()).contains("-h, --hostname");
    }

    @Test
    void groupsWithoutASubcommand_printTheirCommands() {
        var r = berth(Map.of(), "container");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Manage containers").contains("prune").contains("ls, list, ps");
        assertThat(berth(Map.of(), "image").out()).contains("import").contains("rm, rmi, remove");
    }

    @Test
    void runFlags_becomeTheCreateRequest_andArgumentsAfterTheImageBelongToTheContainer() {
        var run = new RunCommand(null);
        var cl = new CommandLine(run, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setStopAtPositional(true);
        cl.parseArgs("--rm", "-it", "-e", "A=1", "-e", "FROM_CLIENT", "-e", "UNSET", "-w", "/tmp", "-u", "65534", "-h", "box",
                "--restart", "no", "-l", "tier=web", "--entrypoint", "", "--init", "busybox", "sh", "-c", "echo -x");
        assertThat(run.image).isEqualTo("busybox");
        assertThat(run.command).containsExactly("sh", "-c", "echo -x");
        Map<String, Object> body = run.options.createBody(run.image, run.command, true, Map.of("FROM_CLIENT", "v"));
        assertThat(body).containsEntry("Env", List.of("A=1", "FROM_CLIENT=v")).containsEntry("WorkingDir", "/tmp")
                .containsEntry("User", "65534").containsEntry("Hostname", "box").containsEntry("Tty", true)
                .containsEntry("OpenStdin", true).containsEntry("StdinOnce", true).containsEntry("AttachStdin", true)
                .containsEntry("Entrypoint", List.of("")).containsEntry("Labels", Map.of("tier", "web"))
                .containsEntry("Cmd", List.of("sh", "-c", "echo -x"));
        @SuppressWarnings("unchecked")
        var host = (Map<String, Object>) body.get("HostConfig");
        assertThat(host).containsEntry("AutoRemove", true).containsEntry("Init", true)
                .containsEntry("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0));
    }

    @Test
    void envFiles_keepTrailingSpaces_andSkipCommentsAndBlankLines(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var file = dir.resolve("env");
        java.nio.file.Files.writeString(file, "# comment\n\n  A=one two  \nFROM_CLIENT\n");
        var run = new RunCommand(null);
        new CommandLine(run).setStopAtPositional(true).parseArgs("--env-file", file.toString(), "busybox");
        assertThat(run.options.createBody("busybox", List.of(), false, Map.of("FROM_CLIENT", "v")))
                .containsEntry("Env", List.of("A=one two  ", "FROM_CLIENT=v"));
        var missing = new RunCommand(null);
        new CommandLine(missing).setStopAtPositional(true).parseArgs("--env-file", dir.resolve("nope").toString(), "busybox");
        assertThatThrownBy(() -> missing.options.createBody("busybox", List.of(), false, Map.of()))
                .hasMessageContaining("no such file or directory");
    }

    @Test
    void restartPolicies_areCheckedLikeDockers() {
        assertThat(ContainerOptions.restartPolicy("on-failure:3")).containsEntry("Name", "on-failure").containsEntry("MaximumRetryCount", 3);
        assertThat(ContainerOptions.restartPolicy("unless-stopped")).containsEntry("Name", "unless-stopped");
        assertThatThrownBy(() -> ContainerOptions.restartPolicy("sometimes")).hasMessage("invalid restart policy format: sometimes");
        assertThatThrownBy(() -> ContainerOptions.restartPolicy("always:2")).hasMessageContaining("only be used with 'on-failure'");
    }

    @Test
    void logTimes_relativeDurationsCountBackFromNow() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        assertThat(LogsCommand.timestamp("90s", now)).isEqualTo(Long.toString(now.getEpochSecond() - 90) + ".000000000");
        assertThat(LogsCommand.timestamp("1h30m", now)).isEqualTo(Long.toString(now.getEpochSecond() - 5400) + ".000000000");
        assertThat(LogsCommand.timestamp("2026-12-01T09:00:00Z", now)).isEqualTo(Long.toString(now.getEpochSecond() - 3600) + ".000000000");
        assertThat(LogsCommand.timestamp("1733000000", now)).isEqualTo("1733000000");
        assertThat(LogsCommand.timestamp(null, now)).isNull();
    }

    @Test
    void goText_quoteAndEllipsis() {
        assertThat(dev.berth.format.GoText.quote("sh -c \"x\"\n")).isEqualTo("\"sh -c \\\"x\\\"\\n\"");
        assertThat(GoText.ellipsis("sh -c echo serving; exec httpd", 20)).isEqualTo("sh -c echo serving;…");
        assertThat(GoText.ellipsis("short", 20)).isEqualTo("short");
    }

    @Test
    void imageNames_splitTagsAfterTheLastSlash() {
        assertThat(ImageNames.splitTag("busybox")).containsExactly("busybox", "latest");
        assertThat(ImageNames.splitTag("localhost:5000/a/b:1.2")).containsExactly("localhost:5000/a/b", "1.2");
        assertThat(ImageNames.splitTag("localhost:5000/a")).containsExactly("localhost:5000/a", "latest");
        assertThat(ImageNames.splitOptionalTag("repo")).containsExactly("repo", "");
        assertThat(ContainerCreation.withDefaultTag("no-such-image")).isEqualTo("no-such-image:latest");
        assertThat(ImageNames.shortId("sha256:bf1684ebaa76d40a3c3cf141")).isEqualTo("bf1684ebaa76");
    }

    @Test
    void filters_useDockersMapForm() {
        assertThat(Filters.toJson(List.of("status=exited", "label=tier=web", "status=created")))
                .isEqualTo("{\"status\":{\"exited\":true,\"created\":true},\"label\":{\"tier=web\":true}}");
        assertThat(Filters.toJson(List.of())).isNull();
        assertThatThrownBy(() -> Filters.toJson(List.of("nonsense"))).hasMessageContaining("bad format of filter");
    }
}
