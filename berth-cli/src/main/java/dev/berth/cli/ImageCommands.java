package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth image ...}: images of a backend (the default one unless --backend). */
@Command(name = "image", synopsisSubcommandLabel = "COMMAND", description = "Manage images.")
final class ImageCommands extends CommandGroup {
    @Command(name = "ls", description = "List images.")
    static final class Ls implements Callable<Integer> {
        @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the default backend).")
        String backend;

        @Option(names = {"-q", "--quiet"}, description = "Print image ids only.")
        boolean quiet;

        @Mixin
        ListFormat format;

        private final CliContext ctx;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            format.print(ctx.out, quiet, () -> ctx.client().listImages(backend), ImageInfo::id, JsonOutput::tree,
                    Ls::table);
            return 0;
        }

        /** One row per tag (an untagged image gets one {@code <none>} row). */
        private static Table table(List<ImageInfo> images) {
            var table = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
            Instant now = Instant.now();
            for (ImageInfo image : images) {
                List<String> tags = image.tags().isEmpty() ? List.of("<none>:<none>") : image.tags();
                for (String tag : tags) {
                    int colon = tag.lastIndexOf(':');
                    boolean hasTag = colon > tag.lastIndexOf('/');
                    table.row(hasTag ? tag.substring(0, colon) : tag, hasTag ? tag.substring(colon + 1) : "",
                            Formats.shortId(image.id()), Formats.ago(image.created(), now),
                            Formats.bytes(image.sizeBytes()));
                }
            }
            return table;
        }
    }

    @Command(name = "pull", description = "Pull an image; progress goes to stderr, the image id to stdout.")
    static final class Pull implements Callable<Integer> {
        @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the default backend).")
        String backend;

        @Option(names = "--pull-policy", paramLabel = "always|missing|never", defaultValue = "always",
                description = "Pull even when present (always), only when absent (missing), or never (default: ${DEFAULT-VALUE}).")
        String policy;

        @Option(names = {"-q", "--quiet"}, description = "No progress output.")
        boolean quiet;

        @Parameters(paramLabel = "REF")
        String image;

        private final CliContext ctx;

        Pull(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            var lastStatus = new HashMap<String, String>();
            ImageInfo info = ctx.client().pullImage(backend, image, Flags.pull("--pull-policy", policy), null,
                    quiet ? p -> { } : p -> progress(lastStatus, p));
            ctx.out.println(info.id());
            return 0;
        }

        /** One stderr line each time a layer's status changes (byte counts alone do not print). */
        private void progress(Map<String, String> lastStatus, PullProgress p) {
            String key = p.layer() == null ? "" : p.layer();
            if (p.status() != null && !Objects.equals(lastStatus.put(key, p.status()), p.status())) {
                ctx.err.println(p.layer() == null ? p.status() : p.layer() + ": " + p.status());
            }
        }
    }

    @Command(name = "rm", description = "Remove images; prints each reference.")
    static final class Remove implements Callable<Integer> {
        @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the default backend).")
        String backend;

        @Option(names = {"-f", "--force"}, description = "Remove even if used; no error for missing images.")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "IMAGE")
        List<String> images = new ArrayList<>();

        private final CliContext ctx;

        Remove(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return ctx.each(images, image -> {
                if (ctx.client().removeImage(backend, image, force)) {
                    ctx.out.println(image);
                } else if (!force) {
                    throw BerthException.notFound("image '" + image + "'");
                }
            });
        }
    }

    @Command(name = "prune", description = "Remove images no workload uses; prints each removed image.")
    static final class Prune implements Callable<Integer> {
        @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the default backend).")
        String backend;

        private final CliContext ctx;

        Prune(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.client().pruneImages(backend).forEach(ctx.out::println);
            return 0;
        }
    }

    @Command(name = "tag", description = "Give an image another reference.")
    static final class Tag implements Callable<Integer> {
        @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the default backend).")
        String backend;

        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "1", paramLabel = "TARGET")
        String target;

        private final CliContext ctx;

        Tag(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.client().tagImage(backend, source, target);
            return 0;
        }
    }

    @Command(name = "import", description = "Create an image from a root filesystem tarball; prints its id.")
    static final class Import implements Callable<Integer> {
        @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the default backend).")
        String backend;

        @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION",
                description = "Dockerfile instruction to apply, e.g. 'CMD [\"/bin/sh\"]' (repeatable).")
        List<String> changes = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "FILE", description = "Tarball ('-' = stdin).")
        Path file;

        @Parameters(index = "1", paramLabel = "NAME:TAG")
        String target;

        private final CliContext ctx;

        Import(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            if (file.toString().equals("-")) {
                ctx.out.println(ctx.client().importImage(backend, ctx.in, target, changes).id());
                return 0;
            }
            InputStream tar;
            try {
                tar = Files.newInputStream(file);
            } catch (IOException e) {
                throw Flags.cannotRead("FILE", file, e);
            }
            try (tar) {
                ctx.out.println(ctx.client().importImage(backend, tar, target, changes).id());
            }
            return 0;
        }
    }
}
