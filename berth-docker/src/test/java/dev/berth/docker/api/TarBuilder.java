package dev.berth.docker.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Minimal ustar writer for test fixtures (files, directories, symlinks). */
final class TarBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TarBuilder dir(String name) {
        header(name.endsWith("/") ? name : name + "/", 0, '5', "", 0755);
        return this;
    }

    TarBuilder file(String name, byte[] data, int mode) {
        header(name, data.length, '0', "", mode);
        out.writeBytes(data);
        pad(data.length);
        return this;
    }

    TarBuilder file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8), 0644);
    }

    TarBuilder symlink(String name, String target) {
        header(name, 0, '2', target, 0777);
        return this;
    }

    byte[] build() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private void header(String name, long size, char type, String link, int mode) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(mode, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(1_700_000_000L, 11));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, octal(sum, 6) + "\0 ");
        out.writeBytes(h);
    }

    private void pad(long size) {
        int rem = (int) (size % 512);
        if (rem != 0) {
            out.writeBytes(new byte[512 - rem]);
        }
    }

    private static String octal(long v, int width) {
        String s = Long.toOctalString(v);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }
}
