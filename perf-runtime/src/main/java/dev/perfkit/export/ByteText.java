package dev.perfkit.export;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array for text expositions: pre-encoded pieces and decimal longs, no garbage. Not thread-safe. */
final class ByteText {

    private byte[] bytes;
    private int size;

    ByteText(int capacity) {
        bytes = new byte[capacity];
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    private void ensure(int extra) {
        if (size + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
        }
    }

    ByteText append(byte[] piece) {
        ensure(piece.length);
        System.arraycopy(piece, 0, bytes, size, piece.length);
        size += piece.length;
        return this;
    }

    ByteText append(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /** Appends {@code value} in UTF-8. */
    ByteText append(String value) {
        return append(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code value} in decimal, as {@link Long#toString(long)}. */
    ByteText append(long value) {
        ensure(20);
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return append(Long.toString(value));
            }
            bytes[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = size + digits;
        for (int i = end - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + (int) (value % 10));
            value /= 10;
        }
        size = end;
        return this;
    }

    /** Appends {@code value} as {@link Double#toString(double)} writes it. */
    ByteText append(double value) {
        String text = Double.toString(value);
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[size++] = (byte) text.charAt(i); // ASCII: digits, '.', '-', 'E', "Infinity", "NaN"
        }
        return this;
    }

    /** Copies the bytes {@code from .. to - 1} into {@code into} at {@code at}. */
    void copy(int from, int to, byte[] into, int at) {
        System.arraycopy(bytes, from, into, at, to - from);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
