package dev.berth.image;

import dev.berth.common.EngineException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Follows the structure of a tar stream as it is read through it (headers, PAX and GNU long-name records, contents,
 * padding, the end blocks), for what a tar reader does not give back exactly: the raw bytes (tar-split) and PAX
 * values as bytes. Commons Compress decodes every PAX value as UTF-8, which corrupts binary ones such as a
 * {@code SCHILY.xattr.security.capability}; here they are kept as read.
 *
 * <p>Commons Compress reads a tar without reading ahead, so when it returns an entry, {@link #entry} has just been
 * called for that entry's header.
 */
public abstract class TarStreamTap extends ObservedInputStream {
    static final int BLOCK = 512;
    /** The PAX key prefix of an extended attribute, as GNU tar, Go's archive/tar and Docker write it. */
    public static final String XATTR_PREFIX = "SCHILY.xattr.";
    /** overlayfs's own attributes (whiteouts, opaque directories, redirects): never taken from a tar as they are. */
    public static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

    /** Which part of the stream bytes belong to. */
    protected enum Part { HEADER, META, CONTENT, PADDING, TRAILER }

    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long payloadLeft;
    private Part payloadPart;
    private long paddingLeft;
    private boolean trailer;
    private ByteArrayOutputStream meta; // payload of a PAX or GNU long-name header being read
    private byte metaType;
    private String longName;
    private String paxPath;
    private Long paxSize;
    private Map<String, byte[]> paxXattrs = new LinkedHashMap<>();

    protected TarStreamTap(InputStream in) {
        super(in);
    }

    /** Bytes of the stream as they pass, in order. */
    protected void bytes(Part part, byte[] b, int off, int len) throws IOException {}

    /**
     * The header of an entry (not a PAX or GNU meta header) has been read; {@code size} bytes of content follow.
     * Names are taken as tar readers take them: a GNU long name or a PAX {@code path} before the header, else the
     * ustar prefix and name. {@code xattrs} are the entry's {@code SCHILY.xattr.*} records, names without the prefix.
     */
    protected abstract void entry(byte type, String name, long size, Map<String, byte[]> xattrs) throws IOException;

    @Override
    protected final void observe(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n;
            if (trailer) {
                n = len;
                bytes(Part.TRAILER, b, off, n);
            } else if (payloadLeft > 0) {
                n = (int) Math.min(len, payloadLeft);
                bytes(payloadPart, b, off, n);
                if (meta != null) meta.write(b, off, n);
                payloadLeft -= n;
                if (payloadLeft == 0) endPayload();
            } else if (paddingLeft > 0) {
                n = (int) Math.min(len, paddingLeft);
                bytes(Part.PADDING, b, off, n);
                paddingLeft -= n;
            } else {
                n = Math.min(len, BLOCK - headerFill);
                System.arraycopy(b, off, header, headerFill, n);
                bytes(Part.HEADER, b, off, n);
                headerFill += n;
                if (headerFill == BLOCK) {
                    headerFill = 0;
                    onHeader();
                }
            }
            off += n;
            len -= n;
        }
    }

    private void onHeader() throws IOException {
        if (isZero(header)) {
            trailer = true;
            return;
        }
        byte type = header[156];
        boolean metaHeader = isMetaType(type);
        long size = paxSize != null && !metaHeader ? paxSize : number(header, 124, 12);
        if (size < 0) throw EngineException.invalid("error processing tar file: archive/tar: invalid tar header");
        paddingLeft = (BLOCK - size % BLOCK) % BLOCK;
        payloadLeft = size;
        meta = null;
        if (metaHeader) {
            payloadPart = Part.META;
            if (type == 'x' || type == 'L') {
                meta = new ByteArrayOutputStream();
                metaType = type;
            }
            if (size == 0) endPayload();
            return;
        }
        payloadPart = Part.CONTENT;
        String name = longName != null ? longName : paxPath != null ? paxPath : ustarName(header);
        Map<String, byte[]> xattrs = paxXattrs;
        longName = null;
        paxPath = null;
        paxSize = null;
        paxXattrs = new LinkedHashMap<>();
        entry(type, name, size, xattrs);
    }

    private void endPayload() {
        if (meta == null) return;
        byte[] data = meta.toByteArray();
        meta = null;
        if (metaType == 'L') {
            int end = 0;
            while (end < data.length && data[end] != 0) end++;
            longName = new String(data, 0, end, StandardCharsets.UTF_8);
        } else {
            parsePax(data);
        }
    }

    /** PAX records, {@code "<len> <key>=<value>\n"}, the value as bytes: path, size and the extended attributes. */
    private void parsePax(byte[] data) {
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') space++;
            if (space >= data.length) return;
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return;
            }
            if (len <= 0 || pos + len > data.length || data[pos + len - 1] != '\n') return;
            int eq = space + 1;
            while (eq < pos + len - 1 && data[eq] != '=') eq++;
            if (eq < pos + len - 1) {
                String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
                byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, pos + len - 1);
                if (key.equals("path")) paxPath = new String(value, StandardCharsets.UTF_8);
                if (key.equals("size")) {
                    try {
                        paxSize = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
                    } catch (NumberFormatException e) {
                        paxSize = null;
                    }
                }
                if (key.startsWith(XATTR_PREFIX) && key.length() > XATTR_PREFIX.length()) {
                    paxXattrs.put(key.substring(XATTR_PREFIX.length()), value);
                }
            }
            pos += len;
        }
    }

    private static boolean isMetaType(byte type) {
        return type == 'x' || type == 'g' || type == 'L' || type == 'K';
    }

    private static boolean isZero(byte[] block) {
        for (byte x : block) if (x != 0) return false;
        return true;
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean posix = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
        if (posix) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) return prefix + "/" + name;
        }
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal field, or GNU base-256 when the high bit of the first byte is set; -1 if unreadable. */
    static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) v = (v << 8) | (h[off + i] & 0xff);
            return v;
        }
        long v = 0;
        int i = off;
        while (i < off + len && (h[i] == ' ' || h[i] == 0)) i++;
        for (; i < off + len && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7') return -1;
            v = v * 8 + (h[i] - '0');
        }
        return v;
    }

    /**
     * The extended attributes of each entry as it is read: put under a {@code TarArchiveInputStream}, then
     * {@link #current()} after each {@code getNextEntry} gives that entry's.
     */
    public static final class Xattrs extends TarStreamTap {
        private Map<String, byte[]> current = Map.of();

        public Xattrs(InputStream in) {
            super(in);
        }

        @Override
        protected void entry(byte type, String name, long size, Map<String, byte[]> xattrs) {
            current = xattrs;
        }

        /** The {@code SCHILY.xattr.*} records of the entry last read, by attribute name, values as raw bytes. */
        public Map<String, byte[]> current() {
            return current;
        }
    }
}
