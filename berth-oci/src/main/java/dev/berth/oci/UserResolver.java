package dev.berth.oci;

import dev.berth.common.EngineException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Turns Docker's {@code -u} string into numeric ids using the container's own {@code /etc/passwd} and
 * {@code /etc/group}, with the rules of moby/sys/user {@code GetExecUser} that Docker uses (daemon/oci_linux.go
 * {@code getUser}). The files are read inside the rootfs only (see {@link RootfsFiles}); a missing file counts as
 * empty, so numeric ids always work.
 *
 * <p>Failures are {@link EngineException.SystemFailure}: Docker reports every spec error at start as a server
 * error, with moby's texts ("unable to find user x: no matching entries in passwd file").
 */
public final class UserResolver {
    private UserResolver() {}

    /** Go's {@code minID}/{@code maxID} in moby/sys/user. */
    private static final long MAX_ID = Integer.MAX_VALUE;

    /** The ids for the process, and the home directory runc would put into {@code HOME}. */
    public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
        public ResolvedUser {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    public static ResolvedUser resolve(Path rootfs, String user) {
        return resolve(rootfs, user, List.of());
    }

    /**
     * @param user     {@code name}, {@code uid}, {@code name:group}, {@code uid:gid}, {@code name:gid}... or empty
     * @param groupAdd {@code --group-add} entries (group names or numeric gids)
     */
    public static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) {
        var passwd = RootfsFiles.read(rootfs, "/etc/passwd").map(PasswdFiles::parsePasswd);
        var group = RootfsFiles.read(rootfs, "/etc/group").map(PasswdFiles::parseGroup);

        var parts = (user == null ? "" : user).split(":", -1);
        String userArg = parts[0];
        String groupArg = parts.length > 1 ? parts[1] : "";
        Long uidArg = parseId(userArg);
        Long gidArg = parseId(groupArg);

        long uid = 0;
        long gid = 0;
        var sgids = new ArrayList<Long>();
        var matched = passwd.orElse(List.of()).stream()
                .filter(u -> userArg.isEmpty() ? u.uid() == 0 : uidArg != null ? u.uid() == uidArg : u.name().equals(userArg))
                .findFirst();
        String matchedName = "";
        if (matched.isPresent()) {
            matchedName = matched.get().name();
            uid = matched.get().uid();
            gid = matched.get().gid();
        } else if (!userArg.isEmpty()) {
            if (uidArg == null) {
                throw EngineException.failure("unable to find user %s: no matching entries in passwd file", userArg);
            }
            uid = inRange(uidArg);
        }

        if (!groupArg.isEmpty() || !matchedName.isEmpty()) {
            var groups = group.orElse(List.of());
            if (!groupArg.isEmpty()) {
                var byArg = groups.stream()
                        .filter(g -> gidArg != null ? g.gid() == gidArg : g.name().equals(groupArg))
                        .findFirst();
                if (byArg.isPresent()) {
                    gid = byArg.get().gid();
                } else if (gidArg == null) {
                    throw EngineException.failure("unable to find group %s: no matching entries in group file", groupArg);
                } else {
                    gid = inRange(gidArg);
                }
            } else {
                // Supplementary groups only in the implicit form: "-u alice" gets alice's groups, "-u alice:x" not.
                String name = matchedName;
                groups.stream().filter(g -> g.members().contains(name)).forEach(g -> sgids.add(g.gid()));
            }
        }

        var additional = new ArrayList<Long>();
        additional.add(gid);
        additional.addAll(sgids);
        additional.addAll(additionalGroups(groupAdd, group.orElse(List.of())));
        return new ResolvedUser(uid, gid, additional, home(passwd, uid));
    }

    /** moby/sys/user {@code GetAdditionalGroups}: names or gids; unknown numeric gids are fine, unknown names not. */
    private static List<Long> additionalGroups(List<String> wanted, List<PasswdFiles.GroupEntry> groups) {
        var gids = new LinkedHashSet<Long>();
        for (var ag : wanted) {
            var found = groups.stream()
                    .filter(g -> g.name().equals(ag) || String.valueOf(g.gid()).equals(ag))
                    .findFirst();
            if (found.isPresent()) {
                gids.add(found.get().gid());
                continue;
            }
            Long gid = parseId(ag);
            if (gid == null) {
                throw EngineException.failure("Unable to find group %s: no matching entries in group file", ag);
            }
            gids.add(inRange(gid));
        }
        return new ArrayList<>(gids);
    }

    /**
     * runc looks the numeric uid up again at init and sets {@code HOME} from the first entry with that uid, or
     * {@code /} without one (libcontainer {@code setupUser}).
     */
    private static String home(Optional<List<PasswdFiles.PasswdEntry>> passwd, long uid) {
        return passwd.orElse(List.of()).stream()
                .filter(u -> u.uid() == uid)
                .map(PasswdFiles.PasswdEntry::home)
                .findFirst()
                .orElse("/");
    }

    /** Go's {@code strconv.Atoi}: an optional sign and digits, 64-bit; anything else is a name. */
    private static Long parseId(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long inRange(long id) {
        if (id < 0 || id > MAX_ID) {
            throw EngineException.failure("uids and gids must be in range 0-%d", MAX_ID);
        }
        return id;
    }
}
