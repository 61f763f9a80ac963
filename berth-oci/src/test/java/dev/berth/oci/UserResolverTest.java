package dev.berth.oci;

import dev.berth.common.EngineException;
import dev.berth.oci.UserResolver.ResolvedUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserResolverTest {

    @TempDir
    Path dir;

    Path rootfs;

    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            alice:x:1000:1000:Alice:/home/alice:/bin/sh
            bob:x:1001:100::/home/bob:/bin/sh
            """;

    private static final String GROUP = """
            # comment lines are skipped
            root:x:0:root
            wheel:x:10:root,alice
            users:x:100:
            alice:x:1000:
            docker:x:999:alice,bob
            """;

    @BeforeEach
    void rootfs() throws Exception {
        rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
    }

    @Test
    void resolve_empty_isRootWithRootsGroups() {
        assertThat(UserResolver.resolve(rootfs, ""))
                .isEqualTo(new ResolvedUser(0, 0, List.of(0L, 0L, 10L), "/root"));
    }

    @Test
    void resolve_name_usesPasswdIdsAndGroupMembership() {
        assertThat(UserResolver.resolve(rootfs, "alice"))
                .isEqualTo(new ResolvedUser(1000, 1000, List.of(1000L, 10L, 999L), "/home/alice"));
    }

    @Test
    void resolve_numericUidWithEntry_usesItsPrimaryGroup() {
        assertThat(UserResolver.resolve(rootfs, "1001"))
                .isEqualTo(new ResolvedUser(1001, 100, List.of(100L, 999L), "/home/bob"));
    }

    @Test
    void resolve_numericUidWithoutEntry_isFine_withGidZeroAndHomeSlash() {
        assertThat(UserResolver.resolve(rootfs, "4242"))
                .isEqualTo(new ResolvedUser(4242, 0, List.of(0L), "/"));
    }

    @Test
    void resolve_nameColonGroup_takesTheGroup_andNoSupplementaryGroups() {
        assertThat(UserResolver.resolve(rootfs, "alice:docker"))
                .isEqualTo(new ResolvedUser(1000, 999, List.of(999L), "/home/alice"));
    }

    @Test
    void resolve_uidColonGid_needsNoEntries() {
        assertThat(UserResolver.resolve(rootfs, "5000:6000"))
                .isEqualTo(new ResolvedUser(5000, 6000, List.of(6000L), "/"));
    }

    @Test
    void resolve_unknownName_failsWithDockersMessage() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "mallory"))
                .isInstanceOf(EngineException.SystemFailure.class)
                .hasMessage("unable to find user mallory: no matching entries in passwd file");
    }

    @Test
    void resolve_unknownGroupName_failsWithDockersMessage() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "alice:nogroup"))
                .isInstanceOf(EngineException.SystemFailure.class)
                .hasMessage("unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void resolve_uidOutOfRange_fails() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "4294967296"))
                .hasMessage("uids and gids must be in range 0-2147483647");
    }

    @Test
    void resolve_withGroupAdd_appendsNamedAndNumericGroups() {
        assertThat(UserResolver.resolve(rootfs, "bob", List.of("wheel", "777")).additionalGids())
                .containsExactly(100L, 999L, 10L, 777L);
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "bob", List.of("nosuch")))
                .hasMessage("Unable to find group nosuch: no matching entries in group file");
    }

    @Test
    void resolve_withoutPasswdFile_acceptsOnlyNumericUsers() throws Exception {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));

        assertThat(UserResolver.resolve(rootfs, "")).isEqualTo(new ResolvedUser(0, 0, List.of(0L), "/"));
        assertThat(UserResolver.resolve(rootfs, "12:34")).isEqualTo(new ResolvedUser(12, 34, List.of(34L), "/"));
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "alice"))
                .hasMessage("unable to find user alice: no matching entries in passwd file");
    }

    @Test
    void resolve_passwdSymlinkedOutOfTheRootfs_isNotFollowed() throws Exception {
        var hostPasswd = Files.writeString(dir.resolve("host-passwd"), "mallory:x:0:0::/root:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), hostPasswd.toAbsolutePath());

        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "mallory"))
                .hasMessage("unable to find user mallory: no matching entries in passwd file");
    }

    @Test
    void resolve_relativeSymlinkClimbingOutOfTheRootfs_staysInside() throws Exception {
        Files.writeString(dir.resolve("host-passwd"), "mallory:x:0:0::/root:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../host-passwd"));

        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "mallory"))
                .hasMessage("unable to find user mallory: no matching entries in passwd file");
    }

    @Test
    void resolve_absoluteSymlinkWithinTheRootfs_isResolvedAgainstTheRootfs() throws Exception {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.move(rootfs.resolve("etc/passwd"), rootfs.resolve("usr/lib/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/usr/lib/passwd"));

        assertThat(UserResolver.resolve(rootfs, "alice").uid()).isEqualTo(1000);
    }

    @Test
    void resolve_symlinkLoop_fails() throws Exception {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd"));

        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "alice"))
                .isInstanceOf(EngineException.SystemFailure.class)
                .hasMessageContaining("too many links");
    }

    @Test
    void build_runsTheProcessAsTheResolvedUser() {
        var spec = OciSpecs.build(TestHosts.options(rootfs).user("alice").build(), TestHosts.host());

        assertThat(spec.process().user().uid()).isEqualTo(1000);
        assertThat(spec.process().user().additionalGids()).containsExactly(1000L, 10L, 999L);
        assertThat(spec.process().env()).contains("HOME=/home/alice");
    }
}
