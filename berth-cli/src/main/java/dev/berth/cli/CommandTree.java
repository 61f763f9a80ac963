package dev.berth.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Which commands exist, and building only the part of the tree a command line uses. picocli reads every command's
 * annotations when it is added, which cost most of the CLI's start-up when all forty were added for every run;
 * now {@code berth ps} builds the root and {@code ps} alone. Help, and names that match nothing, get the full tree
 * so that usage lists and "unknown command" errors stay complete.
 */
final class CommandTree {
    private static final List<Class<?>> TOP = List.of(RunCommand.class, CreateCommand.class, StartCommand.class,
            StopCommand.class, KillCommand.class, RestartCommand.class, WaitCommand.class, RmCommand.class,
            RenameCommand.class, PsCommand.class, LogsCommand.class, InspectCommand.class, AttachCommand.class,
            ExecCommand.class, PauseCommand.class, UnpauseCommand.class, TopCommand.class, StatsCommand.class,
            UpdateCommand.class, EventsCommand.class, ImagesCommand.class, ImportCommand.class, TagCommand.class,
            SaveCommand.class, LoadCommand.class, HistoryCommand.class, DiffCommand.class, ExportCommand.class,
            CommitCommand.class, CpCommand.class, PortCommand.class,
            RmiCommand.class, VersionCommand.class, InfoCommand.class, ContainerGroup.class, ImageGroup.class,
            SystemGroup.class, VolumeCommands.Group.class, NetworkCommands.Group.class);

    private static final Map<Class<?>, List<Class<?>>> GROUPS = Map.of(
            ContainerGroup.class, List.of(AttachCommand.class, CommitCommand.class, CpCommand.class, CreateCommand.class, DiffCommand.class,
                    ExecCommand.class, ExportCommand.class,
                    InspectCommand.ContainerInspect.class, KillCommand.class, LogsCommand.class, PsCommand.ContainerLs.class,
                    PauseCommand.class, PortCommand.class, ContainerPruneCommand.class, RenameCommand.class, RestartCommand.class,
                    RmCommand.class, RunCommand.class, StartCommand.class, StatsCommand.class, StopCommand.class,
                    TopCommand.class, UnpauseCommand.class, UpdateCommand.class, WaitCommand.class),
            ImageGroup.class, List.of(HistoryCommand.ImageHistory.class, ImportCommand.class,
                    InspectCommand.ImageInspect.class, LoadCommand.ImageLoad.class, ImagesCommand.ImageLs.class,
                    ImagePruneCommand.class, RmiCommand.ImageRm.class, SaveCommand.ImageSave.class, TagCommand.class),
            SystemGroup.class, List.of(DiskUsageCommand.class, EventsCommand.class, InfoCommand.class,
                    SystemPruneCommand.class),
            VolumeCommands.Group.class, List.of(VolumeCommands.Create.class, VolumeCommands.Inspect.class,
                    VolumeCommands.Ls.class, VolumeCommands.Prune.class, VolumeCommands.Rm.class),
            NetworkCommands.Group.class, List.of(NetworkCommands.Connect.class, NetworkCommands.Create.class,
                    NetworkCommands.Disconnect.class, NetworkCommands.Inspect.class, NetworkCommands.Ls.class,
                    NetworkCommands.Prune.class, NetworkCommands.Rm.class));

    /** Root options that take a value, so the word after them is not a command name. */
    private static final List<String> VALUED_ROOT_OPTIONS = List.of("-H", "--host", "-l", "--log-level");

    private CommandTree() {
    }

    static CommandLine build(Object root, CommandLine.IFactory factory, String[] args) throws Exception {
        CommandLine cl = new CommandLine(root, factory);
        int i = firstWord(args, 0, true);
        addChildren(cl, TOP, factory, args, i);
        return cl;
    }

    private static void addChildren(CommandLine parent, List<Class<?>> children, CommandLine.IFactory factory,
            String[] args, int wordAt) throws Exception {
        String word = wordAt < args.length ? args[wordAt] : null;
        Map<String, Class<?>> named = new LinkedHashMap<>();
        for (Class<?> c : children) {
            Command a = c.getAnnotation(Command.class);
            named.put(a.name(), c);
            for (String alias : a.aliases()) named.putIfAbsent(alias, c);
        }
        Class<?> chosen = word == null ? null : named.get(word);
        for (Class<?> c : children) {
            if (chosen != null && c != chosen) continue;
            CommandLine child = new CommandLine(factory.create(c), factory);
            List<Class<?>> grandchildren = GROUPS.get(c);
            if (grandchildren != null) {
                int next = chosen != null ? firstWord(args, wordAt + 1, false) : args.length;
                addChildren(child, grandchildren, factory, args, next);
            }
            parent.addSubcommand(child);
        }
    }

    /** The index of the first word that is not an option (or an option's value), or args.length. */
    private static int firstWord(String[] args, int from, boolean root) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return Math.min(i + 1, args.length);
            if (!a.startsWith("-") || a.equals("-")) return i;
            if (root && VALUED_ROOT_OPTIONS.contains(a)) i++;
        }
        return args.length;
    }
}
