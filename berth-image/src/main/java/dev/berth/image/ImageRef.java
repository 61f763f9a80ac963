package dev.berth.image;

import dev.berth.common.EngineException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A normalized image reference, {@code domain/path[:tag][@digest]}, as Docker's {@code ParseNormalizedNamed} makes
 * it (github.com/distribution/reference, normalize.go and regexp.go): {@code busybox} is
 * {@code docker.io/library/busybox:latest}. At least one of {@code tag} and {@code digest} is set: a name with
 * neither gets the tag {@code latest}, as Docker's {@code TagNameOnly} does.
 */
public record ImageRef(String domain, String path, String tag, String digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_REPO_PREFIX = "library/";
    private static final int NAME_TOTAL_LENGTH_MAX = 255;

    // The grammar of distribution/reference regexp.go.
    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6 + ")(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern PATH_PATTERN = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG_PATTERN = Pattern.compile(TAG);
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    public ImageRef {
        if (domain == null || !DOMAIN_PATTERN.matcher(domain).matches()
                || path == null || !PATH_PATTERN.matcher(path).matches()
                || (tag != null && !TAG_PATTERN.matcher(tag).matches())
                || (tag == null && digest == null)) {
            throw EngineException.invalid("invalid reference format");
        }
        if (digest != null) Digest.parse(digest);
    }

    /**
     * Parses and normalizes what a user typed. Errors carry Docker's texts, e.g. {@code invalid reference format} or
     * {@code invalid reference format: repository name (library/Busybox) must be lowercase}.
     */
    public static ImageRef parse(String s) {
        if (s == null) throw EngineException.invalid("invalid reference format");
        // A bare 64-hex string is an image id, never a name (normalize.go, ParseNormalizedNamed).
        if (HEX64.matcher(s).matches()) {
            throw EngineException.invalid("invalid repository name (%s), cannot specify 64-byte hexadecimal strings", s);
        }
        String[] split = splitDockerDomain(s);
        String domain = split[0], remainder = split[1];
        int tagSep = remainder.indexOf(':');
        String remoteName = tagSep >= 0 ? remainder.substring(0, tagSep) : remainder;
        if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
            throw EngineException.invalid("invalid reference format: repository name (%s) must be lowercase", remoteName);
        }
        String full = domain + "/" + remainder;
        Matcher m = REFERENCE.matcher(full);
        if (!m.matches()) {
            if (REFERENCE.matcher(full.toLowerCase(Locale.ROOT)).matches()) {
                throw EngineException.invalid("repository name must be lowercase");
            }
            throw EngineException.invalid("invalid reference format");
        }
        String name = m.group(1);
        if (name.length() > NAME_TOTAL_LENGTH_MAX) {
            throw EngineException.invalid("repository name must not be more than %d characters", NAME_TOTAL_LENGTH_MAX);
        }
        String digest = m.group(3);
        if (digest != null) Digest.parse(digest);
        String tag = m.group(2);
        if (tag == null && digest == null) tag = DEFAULT_TAG;
        return new ImageRef(domain, name.substring(domain.length() + 1), tag, digest);
    }

    /**
     * Splits off the registry: the first component is a domain if it contains '.' or ':', is "localhost", or has
     * upper case (namespaces cannot); Docker Hub names of one component get "library/".
     */
    private static String[] splitDockerDomain(String name) {
        int slash = name.indexOf('/');
        String domain, remote;
        if (slash < 0) {
            domain = DEFAULT_DOMAIN;
            remote = name;
        } else {
            String first = name.substring(0, slash), rest = name.substring(slash + 1);
            if (first.equals("localhost") || first.contains(".") || first.contains(":")
                    || !first.toLowerCase(Locale.ROOT).equals(first)) {
                domain = first.equals(LEGACY_DEFAULT_DOMAIN) ? DEFAULT_DOMAIN : first;
                remote = rest;
            } else {
                domain = DEFAULT_DOMAIN;
                remote = name;
            }
        }
        if (domain.equals(DEFAULT_DOMAIN) && remote.indexOf('/') < 0) remote = OFFICIAL_REPO_PREFIX + remote;
        return new String[] {domain, remote};
    }

    /** {@code docker.io/library/busybox}. */
    public String fullName() {
        return domain + "/" + path;
    }

    /** The short form Docker shows: {@code busybox}, {@code user/app}, {@code myreg:5000/x/y}. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) return fullName();
        if (path.startsWith(OFFICIAL_REPO_PREFIX) && path.indexOf('/', OFFICIAL_REPO_PREFIX.length()) < 0) {
            return path.substring(OFFICIAL_REPO_PREFIX.length());
        }
        return path;
    }

    public boolean hasDigest() {
        return digest != null;
    }

    /** The same repository with another tag and no digest. */
    public ImageRef withTag(String newTag) {
        return new ImageRef(domain, path, newTag, null);
    }

    /** The familiar string: {@code busybox:latest}, {@code busybox@sha256:...}. */
    @Override
    public String toString() {
        return familiarName() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
