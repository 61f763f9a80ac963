package dev.berth.engine.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** How log entries are laid out in a log file: Docker's json-file lines or its local driver's framed records. */
public interface LogFormat {
    /** Appends the encoded entry to {@code out}. */
    void write(LogEntry entry, ByteArrayOutputStream out);

    /** Reads the entries of a file that may still be growing. */
    Reader reader(InputStream in);

    interface Reader {
        /** The next whole entry, or null when the input holds no whole entry more (yet); bad records are skipped. */
        LogEntry next() throws IOException;
    }

    /** {@code {"log":"...","stream":"...","time":"..."}} per line. */
    LogFormat JSON_FILE = new LogFormat() {
        @Override
        public void write(LogEntry entry, ByteArrayOutputStream out) {
            JsonLogLine.write(entry, out);
        }

        @Override
        public Reader reader(InputStream in) {
            var lines = new LineReader(in);
            return () -> {
                byte[] line;
                while ((line = lines.next()) != null) {
                    LogEntry e = JsonLogLine.parse(line, 0, line.length);
                    if (e != null) return e;
                }
                return null;
            };
        }
    };

    /** Protocol-buffer records, each between two copies of its length. */
    LogFormat LOCAL = new LogFormat() {
        @Override
        public void write(LogEntry entry, ByteArrayOutputStream out) {
            LocalLogRecord.write(entry, out);
        }

        @Override
        public Reader reader(InputStream in) {
            return new LocalLogRecord.Reader(in);
        }
    };
}
