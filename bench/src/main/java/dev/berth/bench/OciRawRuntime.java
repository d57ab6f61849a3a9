package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.conmon.Conmon;
import dev.berth.oci.runtime.RuntimeCli;
import dev.berth.oci.runtime.RuntimeProfile;
import dev.berth.oci.transport.LocalTransport;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The raw peer of Berth's oci backend: the runtime CLI run directly on a bundle prepared
 * beforehand (not timed). The bundle is a copy of a bundle Berth made (its config.json: same
 * namespaces, mounts, capabilities, seccomp, rlimits, /etc files), with its own overlay mount over
 * the same image layers from Berth's store and a fresh upper dir, and a new empty network
 * namespace instead of Berth's prepared one (no veth, no bridge, no firewall: the floor).
 * {@link #conmonCreateStart} runs the same bundle the way Berth supervises a container (conmon
 * started as Berth starts it, creating the container with the runtime, then the runtime's
 * {@code start}) without anything else of Berth's: the cost of the supervision alone.
 */
final class OciRawRuntime implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File DEV_NULL = new File("/dev/null");

    private final String binary;
    private final List<String> globalArgs;
    private final RuntimeCli cli;
    private final Conmon conmon = new Conmon(new LocalTransport(), "/usr/bin/conmon");
    private final Path base;
    private final ObjectNode template;
    private final String berthBundle;
    private final String lowerdir;
    private final Set<String> live = new LinkedHashSet<>();

    /**
     * @param runtime     the runtime profile's name; its binary and flags are those Berth uses
     * @param berthBundle a bundle directory Berth made, whose rootfs is still mounted
     */
    OciRawRuntime(String runtime, Path base, Path berthBundle) throws IOException {
        RuntimeProfile profile = RuntimeProfile.named(runtime);
        this.binary = profile.defaultBinary();
        this.base = base;
        Files.createDirectories(base.resolve("state"));
        Files.createDirectories(base.resolve("sock"));
        this.cli = new RuntimeCli(new LocalTransport(), profile, binary, base.resolve("state").toString(), true);
        this.globalArgs = cli.conmonArgs();
        this.berthBundle = berthBundle.toString();
        this.template = (ObjectNode) JSON.readTree(berthBundle.resolve("config.json").toFile());
        this.lowerdir = lowerdirOf(berthBundle.resolve("rootfs"));
        Files.createDirectories(base.resolve("etc"));
        for (JsonNode m : template.path("mounts")) {
            String source = m.path("source").asText();
            if (source.startsWith(this.berthBundle + "/")) {
                Files.copy(Path.of(source), base.resolve("etc").resolve(Path.of(source).getFileName()));
            }
        }
    }

    /** Lays out bundle {@code id} running {@code args}: directories, overlay mount, config.json. */
    Path prepare(String id, List<String> args) throws IOException {
        Path bundle = base.resolve(id);
        for (String d : List.of("rootfs", "upper", "work", "status")) {
            Files.createDirectories(bundle.resolve(d));
        }
        live.add(id);
        run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lowerdir + ",upperdir=" + bundle.resolve("upper")
                + ",workdir=" + bundle.resolve("work"), bundle.resolve("rootfs").toString()), false);
        ObjectNode config = template.deepCopy();
        ((ObjectNode) config.path("root")).put("path", bundle.resolve("rootfs").toString());
        ArrayNode argv = ((ObjectNode) config.path("process")).putArray("args");
        args.forEach(argv::add);
        for (JsonNode m : config.path("mounts")) {
            String source = m.path("source").asText();
            if (source.startsWith(berthBundle + "/")) {
                ((ObjectNode) m).put("source", base.resolve("etc").resolve(Path.of(source).getFileName()).toString());
            }
        }
        for (JsonNode ns : config.path("linux").path("namespaces")) {
            ((ObjectNode) ns).remove("path"); // a new, empty network namespace: no network setup at all
        }
        ObjectNode linux = (ObjectNode) config.path("linux");
        linux.put("cgroupsPath", "/berth-oci-bench/" + id);
        config.putObject("annotations");
        Files.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(config));
        return bundle;
    }

    /** {@code run -d}: returns once the runtime reports the container started. */
    void runDetached(String id) {
        var argv = argv("run", "--detach", "--pid-file", base.resolve(id).resolve("pid").toString(), "--bundle", base.resolve(id).toString(), id);
        run(argv, false);
    }

    /** As Berth runs it, minus Berth: conmon creates the container with the runtime, then the runtime starts it. */
    void conmonCreateStart(String id) {
        String bundle = base.resolve(id).toString();
        conmon.create(id, id, cli, new Conmon.Paths(bundle, bundle + "/ctr.log", bundle + "/status", base.resolve("sock").toString()));
        cli.start(id);
    }

    /** {@code run} in the foreground: returns after the process exited and the container was deleted. */
    void runToExit(String id) {
        run(argv("run", "--bundle", base.resolve(id).toString(), id), false);
    }

    /** Deletes the container (if any), unmounts and deletes the bundle; not timed. */
    void remove(String id) {
        run(argv("delete", "--force", id), true);
        Path rootfs = base.resolve(id).resolve("rootfs");
        if (isMounted(rootfs)) {
            run(List.of("umount", rootfs.toString()), false);
        }
        deleteTree(base.resolve(id));
        live.remove(id);
    }

    @Override
    public void close() {
        for (String id : List.copyOf(live)) {
            try {
                remove(id);
            } catch (RuntimeException e) {
                System.err.println("cleanup of raw bundle " + id + " failed: " + e.getMessage());
            }
        }
        if (live.isEmpty()) { // never walk into a rootfs that is still mounted
            deleteTree(base);
        }
    }

    private List<String> argv(String... args) {
        var argv = new ArrayList<String>();
        argv.add(binary);
        argv.addAll(globalArgs);
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * Runs with stdin/stdout on /dev/null, so a detached container holds no pipe of ours open
     * (which would block a reader until it exits); stderr goes to a file read on failure.
     */
    static void run(List<String> argv, boolean mayFail) {
        Path err = null;
        try {
            err = Files.createTempFile("berth-oci-bench", ".err");
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + argv);
            }
            if (p.exitValue() != 0 && !mayFail) {
                throw new IllegalStateException(argv + " exited " + p.exitValue() + ": " + Files.readString(err).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (err != null) {
                err.toFile().delete();
            }
        }
    }

    /** The lowerdir option of the overlay mounted at {@code mountPoint}, from /proc/self/mountinfo. */
    static String lowerdirOf(Path mountPoint) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(mountPoint.toString()) && line.contains(" - overlay ")) {
                for (String option : f[f.length - 1].split(",")) {
                    if (option.startsWith("lowerdir=")) {
                        return option.substring("lowerdir=".length());
                    }
                }
            }
        }
        throw new IllegalStateException("no overlay mounted at " + mountPoint);
    }

    static boolean isMounted(Path mountPoint) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .anyMatch(l -> l.split(" ").length > 4 && l.split(" ")[4].equals(mountPoint.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
