package dev.berth.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
    @Test
    void passesEveryByteThroughInOrder() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(3).nextBytes(data);
        try (var in = new ReadAheadInputStream(new ByteArrayInputStream(data), 4096, 3)) {
            byte[] head = new byte[7];
            assertThat(in.read(head)).isEqualTo(7);
            assertThat(in.read()).isEqualTo(data[7] & 0xff);
            byte[] rest = in.readAllBytes();
            assertThat(rest).hasSize(data.length - 8);
            assertThat(rest[rest.length - 1]).isEqualTo(data[data.length - 1]);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void deliversTheBytesBeforeASourceFailureThenTheFailure() throws IOException {
        InputStream failing = new InputStream() {
            private int left = 10_000;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    throw new IOException("boom");
                }
                left--;
                return 'x';
            }
        };
        try (var in = new ReadAheadInputStream(failing, 1 << 20, 2)) {
            assertThat(in.readNBytes(10_000)).hasSize(10_000);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("boom");
        }
    }

    @Test
    void closeStopsReadingTheSource() throws IOException, InterruptedException {
        var reads = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                reads.incrementAndGet();
                return 0;
            }
        };
        var in = new ReadAheadInputStream(endless, 1024, 2);
        in.read();
        in.close();
        long afterClose = reads.get();
        Thread.sleep(50);

        assertThat(reads.get()).isEqualTo(afterClose);
    }
}
