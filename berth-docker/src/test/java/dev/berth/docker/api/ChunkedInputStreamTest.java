package dev.berth.docker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedInputStreamTest {

    private static InputStream src(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesChunksAndStopsExactlyAtTheEndOfTheBody() throws IOException {
        InputStream raw = src("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\nNEXT");
        ChunkedInputStream in = new ChunkedInputStream(raw);
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
        assertThat(in.read()).isEqualTo(-1);
        // The following response on a keep-alive connection must be untouched.
        assertThat(new String(raw.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("NEXT");
    }

    @Test
    void skipsTrailersAndAcceptsUppercaseHexAndBareLf() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(src("A\nabcdefghij\n0\r\nX-Trailer: 1\r\n\r\n"));
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcdefghij");
    }

    @Test
    void singleByteReadsSeeTheSameData() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(src("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("abcde");
    }

    @Test
    void readNeverCrossesAChunkBoundarySoStreamingIsProgressive() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(src("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
        byte[] buf = new byte[100];
        assertThat(in.read(buf, 0, 100)).isEqualTo(3);
        assertThat(in.read(buf, 0, 100)).isEqualTo(2);
        assertThat(in.read(buf, 0, 100)).isEqualTo(-1);
    }

    @Test
    void emptyBodyIsJustTheLastChunk() throws IOException {
        assertThat(new ChunkedInputStream(src("0\r\n\r\n")).readAllBytes()).isEmpty();
    }

    @Test
    void truncatedChunkIsAnError() {
        assertThatThrownBy(() -> new ChunkedInputStream(src("10\r\nshort")).readAllBytes())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void garbageSizeIsAnError() {
        assertThatThrownBy(() -> new ChunkedInputStream(src("zz\r\nabc\r\n")).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("chunk size");
    }

    @Test
    void missingCrlfAfterDataIsAnError() {
        assertThatThrownBy(() -> new ChunkedInputStream(src("3\r\nabcX\r\n0\r\n\r\n")).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("CRLF");
    }

    @Test
    void roundTripsWithTheEncoder() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ChunkedOutputStream enc = new ChunkedOutputStream(wire);
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        enc.write(big, 0, 40_000);
        enc.write(big, 40_000, 0);
        enc.write(big, 40_000, 30_000);
        enc.finish();
        assertThat(new ChunkedInputStream(new ByteArrayInputStream(wire.toByteArray())).readAllBytes()).isEqualTo(big);
    }
}
