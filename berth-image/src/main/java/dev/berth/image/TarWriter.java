package dev.berth.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Writes a tar whose PAX records may hold binary values: extended attributes ({@code SCHILY.xattr.<name>}) are
 * written as the raw bytes of the attribute, as Go's archive/tar and Docker write them. Commons Compress's
 * TarArchiveOutputStream encodes PAX values as UTF-8 strings, which corrupts a {@code security.capability}; it is
 * used here only to lay out each 512-byte header block.
 *
 * <p>Names and link targets longer than the ustar fields or not ASCII go in PAX {@code path}/{@code linkpath}
 * records, all of an entry's records in one PAX header; numbers too big for octal fields are written base-256 (GNU,
 * read by Go and GNU tar). The archive ends right after its two zero blocks, as Go's writer ends it, so an empty tar
 * has the digest Docker knows.
 */
public final class TarWriter {
    private static final int BLOCK = TarStreamTap.BLOCK;
    private static final ZipEncoding UTF8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name());

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK];
    private long left; // content bytes the current entry still owes
    private long written;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Starts an entry without extended attributes. */
    public void putEntry(TarArchiveEntry e) throws IOException {
        putEntry(e, Map.of());
    }

    /** Starts an entry; {@code xattrs} by attribute name (no prefix), values as raw bytes. Write its content next. */
    public void putEntry(TarArchiveEntry e, Map<String, byte[]> xattrs) throws IOException {
        if (left != 0) throw new IllegalStateException("previous entry is missing " + left + " bytes");
        Map<String, byte[]> pax = new LinkedHashMap<>();
        if (!fitsUstar(e.getName())) pax.put("path", e.getName().getBytes(StandardCharsets.UTF_8));
        if ((e.isSymbolicLink() || e.isLink()) && !fitsUstar(e.getLinkName())) {
            pax.put("linkpath", e.getLinkName().getBytes(StandardCharsets.UTF_8));
        }
        xattrs.forEach((name, value) -> pax.put(TarStreamTap.XATTR_PREFIX + name, value));
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            var header = new TarArchiveEntry(paxName(e.getName()), TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
            header.setSize(records.length);
            writeHeader(header);
            out.write(records);
            written += records.length;
            pad();
        }
        writeHeader(e);
        left = e.getSize();
    }

    /** Content of the current entry; no more than its size. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > left) throw new IOException("entry content longer than its size");
        out.write(b, off, len);
        left -= len;
        written += len;
    }

    /** Ends the current entry (pads it to a whole block). */
    public void closeEntry() throws IOException {
        if (left != 0) throw new IOException("entry content " + left + " bytes short of its size");
        pad();
    }

    /** Writes the two end-of-archive blocks and flushes; the caller closes the underlying stream. */
    public void finish() throws IOException {
        Arrays.fill(block, (byte) 0);
        out.write(block);
        out.write(block);
        out.flush();
    }

    private void writeHeader(TarArchiveEntry e) throws IOException {
        Arrays.fill(block, (byte) 0);
        e.writeEntryHeader(block, UTF8, true); // star mode: base-256 for numbers too big for octal
        out.write(block);
        written += BLOCK;
    }

    private void pad() throws IOException {
        int rest = (int) (written % BLOCK);
        if (rest == 0) return;
        Arrays.fill(block, (byte) 0);
        out.write(block, 0, BLOCK - rest);
        written += BLOCK - rest;
    }

    private static boolean fitsUstar(String name) {
        if (name.length() > 100) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || c > 0x7e) return false;
        }
        return true;
    }

    /** The name of a PAX header, as Go names it: {@code <dir>/PaxHeaders.0/<base>}, ASCII, cut to fit. */
    private static String paxName(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = trimmed.lastIndexOf('/');
        String p = trimmed.substring(0, slash + 1) + "PaxHeaders.0/" + trimmed.substring(slash + 1);
        var ascii = new StringBuilder();
        for (int i = 0; i < p.length() && ascii.length() < 100; i++) {
            char c = p.charAt(i);
            ascii.append(c > 0 && c < 0x7f ? c : '_');
        }
        return ascii.toString();
    }

    /** {@code "<len> <key>=<value>\n"} per record, the length counting the whole record, its own digits included. */
    static byte[] paxRecords(Map<String, byte[]> records) {
        var buf = new ByteArrayOutputStream();
        records.forEach((key, value) -> {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            int rest = 1 + k.length + 1 + value.length + 1; // ' ' key '=' value '\n'
            int len = rest + 1;
            while (len != rest + Integer.toString(len).length()) len = rest + Integer.toString(len).length();
            buf.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
            buf.write(' ');
            buf.writeBytes(k);
            buf.write('=');
            buf.writeBytes(value);
            buf.write('\n');
        });
        return buf.toByteArray();
    }
}
