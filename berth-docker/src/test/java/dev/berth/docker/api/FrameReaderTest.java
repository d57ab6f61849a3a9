package dev.berth.docker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    static byte[] frame(int type, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + p.length];
        f[0] = (byte) type;
        f[4] = (byte) (p.length >>> 24);
        f[5] = (byte) (p.length >>> 16);
        f[6] = (byte) (p.length >>> 8);
        f[7] = (byte) p.length;
        System.arraycopy(p, 0, f, 8, p.length);
        return f;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void demultiplexesStdoutAndStderrInOrder() throws IOException {
        byte[] wire = concat(frame(1, "out1\n"), frame(2, "err1\n"), frame(0, ""), frame(1, "out2\n"));
        FrameReader r = FrameReader.multiplexed(new ByteArrayInputStream(wire));
        Frame a = r.next();
        Frame b = r.next();
        Frame c = r.next();
        assertThat(a.stream()).isEqualTo(StreamType.STDOUT);
        assertThat(a.text()).isEqualTo("out1\n");
        assertThat(b.stream()).isEqualTo(StreamType.STDERR);
        assertThat(b.text()).isEqualTo("err1\n");
        assertThat(c.text()).isEqualTo("out2\n"); // the empty frame is skipped
        assertThat(r.next()).isNull();
    }

    @Test
    void handlesLengthsAbove255AndSplitReads() throws IOException {
        String big = "x".repeat(70_000);
        byte[] wire = frame(2, big);
        // An InputStream that hands out at most 3 bytes per read, like a slow socket.
        var slow = new ByteArrayInputStream(wire) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
        Frame f = FrameReader.multiplexed(slow).next();
        assertThat(f.stream()).isEqualTo(StreamType.STDERR);
        assertThat(f.data()).hasSize(70_000);
    }

    @Test
    void truncatedHeaderOrPayloadIsAnError() {
        assertThatThrownBy(() -> FrameReader.multiplexed(new ByteArrayInputStream(new byte[] {1, 0, 0})).next())
                .isInstanceOf(EOFException.class);
        byte[] cut = java.util.Arrays.copyOf(frame(1, "hello"), 10);
        assertThatThrownBy(() -> FrameReader.multiplexed(new ByteArrayInputStream(cut)).next())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void ttyOutputReadAsMultiplexedGivesAHelpfulError() {
        byte[] tty = "hello world, this is tty output".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FrameReader.multiplexed(new ByteArrayInputStream(tty)).next())
                .isInstanceOf(IOException.class).hasMessageContaining("TTY");
    }

    @Test
    void rawModePassesBytesThroughAsStdout() throws IOException {
        FrameReader r = FrameReader.of(new ByteArrayInputStream("plain tty bytes".getBytes(StandardCharsets.UTF_8)), true);
        Frame f = r.next();
        assertThat(f.stream()).isEqualTo(StreamType.STDOUT);
        assertThat(f.text()).isEqualTo("plain tty bytes");
        assertThat(r.next()).isNull();
    }

    @Test
    void demuxToRoutesStreams() throws IOException {
        byte[] wire = concat(frame(1, "a"), frame(2, "b"), frame(1, "c"), frame(3, "sys"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FrameReader.multiplexed(new ByteArrayInputStream(wire)).demuxTo(out, err);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ac");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("bsys");
    }
}
