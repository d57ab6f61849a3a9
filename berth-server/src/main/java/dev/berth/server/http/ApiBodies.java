package dev.berth.server.http;

import dev.berth.api.model.Credentials;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import dev.berth.api.spec.PullPolicy;
import java.util.List;

/**
 * The request bodies and stream lines of the REST API that are not model types, shared by the
 * daemon's routes and {@code HttpBerthClient}, so both sides always agree on the field names.
 */
public final class ApiBodies {
    private ApiBodies() {
    }

    /** POST /v1/images/pull. */
    public record PullBody(String image, String platform, PullPolicy policy, String backend, Credentials credentials) {
    }

    /** POST /v1/images/push. */
    public record PushBody(String image, Credentials credentials) {
    }

    /** POST /v1/images/tag. */
    public record TagBody(String source, String target, String backend) {
    }

    /** POST /v1/images/import-path. */
    public record ImportPathBody(String path, String target, List<String> changes, String backend) {
    }

    /** POST /v1/images/unpack. */
    public record UnpackBody(String image, String dir) {
    }

    /** POST /v1/networks. */
    public record NetworkBody(String backend, String name, boolean internal, String subnet) {
    }

    /** POST /v1/system/prune-owner. */
    public record PruneOwnerBody(String owner) {
    }

    /** One line of the pull stream: progress lines, then exactly one of image or error. */
    public record PullEvent(PullProgress progress, ImageInfo image, ApiError error) {
    }
}
