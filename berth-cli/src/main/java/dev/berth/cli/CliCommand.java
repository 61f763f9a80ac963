package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of every command: {@code --help} (not {@code -h}, which {@code run} uses for the hostname, as in Docker),
 * the session, and the per-target loop of commands such as {@code rm a b c}.
 */
abstract class CliCommand implements Callable<Integer> {
    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Spec
    CommandSpec spec;

    final Session session;

    CliCommand(Session session) {
        this.session = session;
    }

    EngineClient client() {
        return session.client();
    }

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    abstract int run() throws Exception;

    /** Prints this command's help, as groups such as {@code berth container} do when given no subcommand. */
    int usage() {
        spec.commandLine().usage(session.out);
        return 0;
    }

    /** One target at a time; each daemon error is printed and the command exits 1 at the end, as Docker's do. */
    interface Target {
        void apply(String name) throws Exception;
    }

    int forEach(List<String> names, Target action) throws Exception {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                action.apply(name);
            } catch (EngineException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        for (String e : errors) session.err.println(e);
        return errors.isEmpty() ? 0 : 1;
    }
}
