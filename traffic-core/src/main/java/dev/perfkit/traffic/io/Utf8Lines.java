package dev.perfkit.traffic.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a UTF-8 file decoded one at a time, so bytes that are not UTF-8 fail the line they are on (a
 * {@link java.io.InputStreamReader} decodes ahead, and its error names whatever line was being read when its buffer
 * filled), and a line longer than {@link #MAX_LINE_BYTES} fails instead of filling the heap. Only {@link #readLine()}
 * and {@link #close()} are supported; line terminators are {@code \n} or {@code \r\n}. Not thread-safe.
 */
final class Utf8Lines extends BufferedReader {

    /** Longest line accepted, in bytes. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final String source;
    private int lineNumber;

    Utf8Lines(InputStream in, String source) {
        super(Reader.nullReader(), 1);
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.source = source;
    }

    /**
     * The next line without its terminator, or null at the end.
     *
     * @throws CharacterCodingException when the line is not UTF-8
     * @throws TrafficInputException     when the line is longer than {@link #MAX_LINE_BYTES}
     */
    @Override
    public String readLine() throws IOException {
        line.reset();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        lineNumber++;
        while (b >= 0 && b != '\n') {
            if (line.size() >= MAX_LINE_BYTES) {
                throw new TrafficInputException(source, lineNumber, -1, null, "line longer than " + MAX_LINE_BYTES
                        + " bytes: not a traffic record");
            }
            line.write(b);
            b = in.read();
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
