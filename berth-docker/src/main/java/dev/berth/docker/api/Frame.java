package dev.berth.docker.api;

import java.nio.charset.StandardCharsets;

/** One piece of demultiplexed output. */
public record Frame(StreamType stream, byte[] data) {
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return stream + "[" + data.length + " bytes]";
    }
}
