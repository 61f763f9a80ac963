package dev.berth.cli;

import dev.berth.client.DaemonUnreachableException;
import dev.berth.client.EngineException;
import dev.berth.format.TemplateException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine;

/**
 * The berth CLI. Exit codes follow Docker's: 0 on success, 1 when the daemon refuses or cannot be reached,
 * 125 for bad flags and for errors of {@code run}/{@code create} themselves, and a container's own exit code
 * (126 and 127 when its command cannot be run) for {@code run}, {@code start -a} and the like.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Buffered: commands flush when output should appear (the end, a prompt, a pause in a followed stream).
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 65536), false);
        int code = run(args, System.in, out, System.err, System.getenv());
        out.flush();
        System.exit(code);
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Session session = new Session(in, out, err, env);
        CommandLine cl;
        try {
            cl = CommandTree.build(new RootCommand(session), new Factory(session), args);
        } catch (Exception e) {
            throw new IllegalStateException("building the command tree", e);
        }
        passArgumentsAfterImage(cl);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, args2) -> {
            err.println(programName(e.getCommandLine()) + ": " + flagError(e));
            err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 125;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd, err));
        int code = cl.execute(args);
        out.flush();
        return code;
    }

    /**
     * {@code run busybox sh -c "ls -l"}: everything after the image belongs to the container, flags included; likewise
     * the ps options after {@code top CONTAINER}.
     */
    private static void passArgumentsAfterImage(CommandLine cl) {
        Object command = cl.getCommand();
        if (command instanceof RunCommand || command instanceof CreateCommand || command instanceof ExecCommand
                || command instanceof TopCommand) {
            cl.setStopAtPositional(true);
        }
        cl.getSubcommands().values().stream().distinct().forEach(Main::passArgumentsAfterImage);
    }

    private static int report(Exception e, CommandLine cmd, PrintStream err) {
        boolean creates = cmd.getCommand() instanceof RunCommand || cmd.getCommand() instanceof CreateCommand;
        String name = cmd.getCommandSpec().qualifiedName();
        return switch (e) {
            case Failure f -> {
                if (f.getMessage() != null) err.println(f.getMessage());
                yield f.code;
            }
            case DaemonUnreachableException d -> {
                err.println(d.getMessage());
                yield 1;
            }
            case EngineException d when creates -> {
                err.println(programName(cmd) + ": Error response from daemon: " + d.getMessage());
                err.println();
                err.println("Run '" + name + " --help' for more information");
                yield 125;
            }
            case EngineException d -> {
                err.println("Error response from daemon: " + d.getMessage());
                yield 1;
            }
            case UsageError u -> {
                err.println(programName(cmd) + ": " + u.getMessage());
                err.println("See '" + name + " --help'.");
                yield 125;
            }
            case TemplateException t -> {
                err.println(t.getMessage());
                yield 1;
            }
            case UncheckedIOException io -> {
                err.println("error: " + io.getCause().getMessage());
                yield 1;
            }
            default -> {
                err.println("error: " + e);
                yield 1;
            }
        };
    }

    private static String programName(CommandLine cl) {
        CommandLine root = cl;
        while (root.getParent() != null) root = root.getParent();
        return root.getCommandName();
    }

    /** Docker's wording (from its flag library) for what picocli refused. */
    private static String flagError(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            if (arg.startsWith("--")) return "unknown flag: " + arg.split("=", 2)[0];
            if (arg.startsWith("-") && arg.length() > 1) return "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
            String name = e.getCommandLine().getCommandSpec().qualifiedName();
            if (!e.getCommandLine().getSubcommands().isEmpty()) return "unknown command: " + name + " " + arg;
            return "'" + name + "' accepts no argument named \"" + arg + "\"";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().getFirst() instanceof CommandLine.Model.PositionalParamSpec) {
            return "'" + e.getCommandLine().getCommandSpec().qualifiedName() + "' requires at least 1 argument";
        }
        return e.getMessage();
    }

    /** Gives commands the session through their constructor. */
    private record Factory(Session session) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                var ctor = cls.getDeclaredConstructor(Session.class);
                ctor.setAccessible(true);
                return ctor.newInstance(session);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
