package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.spec.PullPolicy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth image ...}: images in Berth's own store, or in an engine's with the subcommand's
 * own {@code --backend}. The global {@code --backend} picks where workloads run and never
 * redirects an image command.
 */
@Command(name = "image", synopsisSubcommandLabel = "COMMAND", description = {"Manage images.",
    "Image commands act on Berth's own image store unless given their own --backend;",
    "workloads on docker or podman get store images loaded into the engine when they need them."})
final class ImageCommands extends CommandGroup {
    /** An image subcommand: runs against the context it was built with. */
    abstract static class ImageCommand implements Callable<Integer> {
        final CliContext ctx;

        ImageCommand(CliContext ctx) {
            this.ctx = ctx;
        }
    }

    /** Where an image command acts: Berth's store (null) or an engine. */
    static final class Store {
        @Option(names = "--backend", paramLabel = "docker|podman", description = {
            "Act on this engine's images instead of Berth's own image store.",
            "Only this option does: the global --backend (before the command) does not apply to images."})
        String backend;
    }

    @Command(name = "ls", description = "List images.")
    static final class Ls extends ImageCommand {
        @Mixin
        Store store;

        @Option(names = {"-q", "--quiet"}, description = "Print image ids only.")
        boolean quiet;

        @Mixin
        ListFormat format;

        Ls(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            format.print(ctx.out, quiet, () -> ctx.client().listImages(store.backend), ImageInfo::id, JsonOutput::tree,
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

    @Command(name = "pull", description = {"Pull an image; progress goes to stderr, the image id to stdout.",
        "Registry credentials: --username with the password piped to --password-stdin."})
    static final class Pull extends ImageCommand {
        @Mixin
        Store store;

        @Option(names = "--pull-policy", paramLabel = "always|missing|never", defaultValue = "always",
                description = "Pull even when present (always), only when absent (missing), or never (default: ${DEFAULT-VALUE}).")
        String policy;

        @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
                description = "Platform to pull from a multi-platform image, e.g. linux/arm64/v8 (default: this host's; store only).")
        String platform;

        @Option(names = {"-q", "--quiet"}, description = "No progress output.")
        boolean quiet;

        @Mixin
        RegistryLogin login;

        @Parameters(paramLabel = "REF")
        String image;

        Pull(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            PullPolicy pullPolicy = Flags.pull("--pull-policy", policy);
            Credentials credentials = login.credentials(ctx.in);
            var view = quiet ? null : new PullProgressView(ctx.err, ctx.interactive(), System::nanoTime);
            ImageInfo info = ctx.client().pullImage(store.backend, image, platform, pullPolicy, credentials,
                    view == null ? p -> { } : view);
            if (view != null) {
                view.finish(info);
            }
            ctx.out.println(info.id());
            return 0;
        }
    }

    @Command(name = "push", description = {"Push an image from Berth's store; prints the manifest digest.",
        "The registry is the one the image's name points at.",
        "Registry credentials: --username with the password piped to --password-stdin."})
    static final class Push extends ImageCommand {
        @Mixin
        RegistryLogin login;

        @Parameters(paramLabel = "REF")
        String image;

        Push(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.out.println(ctx.client().pushImage(image, login.credentials(ctx.in)));
            return 0;
        }
    }

    @Command(name = "inspect", description = {"Show an image's details as JSON.",
        "Store, reference, id, digest, tags, size, platform, layers, env, entrypoint, cmd, workingDir, user, ..."})
    static final class Inspect extends ImageCommand {
        @Mixin
        Store store;

        @Parameters(paramLabel = "REF")
        String image;

        Inspect(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonOutput.print(ctx.out, ctx.client().inspectImage(store.backend, image));
            return 0;
        }
    }

    @Command(name = "unpack", description = {"Write an image's flattened root filesystem into DIR.",
        "Store images only (pull or import it first)."})
    static final class Unpack extends ImageCommand {
        @Parameters(index = "0", paramLabel = "REF")
        String image;

        @Parameters(index = "1", paramLabel = "DIR")
        Path dir;

        Unpack(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.client().unpackImage(image, dir);
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove images; prints each reference.")
    static final class Remove extends ImageCommand {
        @Mixin
        Store store;

        @Option(names = {"-f", "--force"}, description = "Remove even if used; no error for missing images.")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "IMAGE")
        List<String> images = new ArrayList<>();

        Remove(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return ctx.each(images, image -> {
                if (ctx.client().removeImage(store.backend, image, force)) {
                    ctx.out.println(image);
                } else if (!force) {
                    throw BerthException.notFound("image '" + image + "'");
                }
            });
        }
    }

    @Command(name = "prune", description = "Remove images no workload uses; prints each removed image.")
    static final class Prune extends ImageCommand {
        @Mixin
        Store store;

        Prune(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.client().pruneImages(store.backend).forEach(ctx.out::println);
            return 0;
        }
    }

    @Command(name = "tag", description = "Give an image another reference.")
    static final class Tag extends ImageCommand {
        @Mixin
        Store store;

        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "1", paramLabel = "TARGET")
        String target;

        Tag(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.client().tagImage(store.backend, source, target);
            return 0;
        }
    }

    @Command(name = "import", description = {"Create an image from a file or directory; prints its id.",
        "Into Berth's store: an OCI layout directory, OCI archive, docker-archive, rootfs directory or",
        "rootfs tarball (recognised by content); into an engine (--backend): a rootfs tarball.",
        "--change applies to rootfs imports."})
    static final class Import extends ImageCommand {
        @Mixin
        Store store;

        @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION",
                description = "Dockerfile instruction to apply, e.g. 'CMD [\"/bin/sh\"]' (repeatable).")
        List<String> changes = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "FILE|DIR", description = "What to import ('-' = a tarball on stdin).")
        Path source;

        @Parameters(index = "1", paramLabel = "NAME:TAG")
        String target;

        Import(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ImageInfo imported;
            if (source.toString().equals("-")) {
                imported = ctx.client().importImage(store.backend, ctx.in, target, changes);
            } else if (Files.exists(source)) {
                imported = ctx.client().importImage(store.backend, source, target, changes);
            } else {
                throw Flags.cannotRead("FILE", source, new NoSuchFileException(source.toString()));
            }
            ctx.out.println(imported.id());
            return 0;
        }
    }
}
