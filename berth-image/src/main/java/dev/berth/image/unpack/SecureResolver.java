package dev.berth.image.unpack;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves paths inside a root directory the way {@code openat2(RESOLVE_IN_ROOT)} does: component by
 * component without the kernel following anything, and a symlink met on the way is resolved
 * <em>within</em> the root (an absolute target starts again at the root, {@code ..} at the root stays
 * there), at most {@value #MAX_SYMLINKS} of them. Whatever a rootfs contains, the result is a path
 * under the root whose directories are real directories, never symlinks.
 *
 * <p>It assumes nobody else changes the tree meanwhile (the unpacker is its only writer); it guards
 * against the tree's content, not against a concurrent attacker.
 */
public final class SecureResolver {
    public static final int MAX_SYMLINKS = 40;
    private static final int CACHE_LIMIT = 8192;

    /** A real directory under the root: its path and its path relative to the root ({@code ""} for the root). */
    record Dir(Path path, String rel) {
        String child(String name) {
            return rel.isEmpty() ? name : rel + "/" + name;
        }
    }

    private final Path root;
    private final Dir rootDir;
    private final Map<String, Dir> cache = new HashMap<>();

    /** @param root an existing directory; its own symlinks (e.g. {@code /tmp}) are resolved once here */
    public SecureResolver(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new NotDirectoryException(root.toString());
        }
        this.rootDir = new Dir(this.root, "");
    }

    public Path root() {
        return root;
    }

    /**
     * Resolves every component of {@code path} (taken relative to the root even when absolute) inside
     * the root, the last one included; components that do not exist are appended as they are.
     *
     * @throws NotDirectoryException   when a component other than the last is not a directory
     * @throws FileSystemLoopException after {@value #MAX_SYMLINKS} symlinks
     */
    public Path resolve(String path) throws IOException {
        return walk(rootDir, path, Missing.APPEND, true).path();
    }

    /** Once a component is missing nothing below it exists, so the rest is plain text, still clamped at the root. */
    private static Dir appendLexically(Path current, List<String> real, String missing, ArrayDeque<String> pending) {
        pending.addFirst(missing);
        for (String c : pending) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!real.isEmpty()) {
                    real.removeLast();
                    current = current.getParent();
                }
            } else {
                real.add(c);
                current = current.resolve(c);
            }
        }
        return new Dir(current, String.join("/", real));
    }

    /**
     * The real directory a cleaned entry path names, every component followed in the root. With
     * {@code create}, missing directories are made (mode 0755, as tar does for implied parents);
     * without it, a missing component yields {@code null}. Results are cached until
     * {@link #invalidate()}.
     */
    Dir directory(String cleaned, boolean create) throws IOException {
        if (cleaned.isEmpty()) {
            return rootDir;
        }
        Dir cached = cache.get(cleaned);
        if (cached != null) {
            return cached;
        }
        Dir base = rootDir;
        int from = 0;
        for (int slash = cleaned.lastIndexOf('/'); slash > 0; slash = cleaned.lastIndexOf('/', slash - 1)) {
            Dir prefix = cache.get(cleaned.substring(0, slash));
            if (prefix != null) {
                base = prefix;
                from = slash + 1;
                break;
            }
        }
        Dir dir = walk(base, cleaned.substring(from), create ? Missing.CREATE : Missing.NONE, false);
        if (dir != null) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(cleaned, dir);
        }
        return dir;
    }

    /** Forgets cached directories; called whenever a symlink or directory is created over, replaced or removed. */
    void invalidate() {
        cache.clear();
    }

    /** What the walk does at a component that does not exist. */
    private enum Missing {
        /** Nothing below exists either: the rest is appended as text, still clamped at the root. */
        APPEND,
        /** Made as a directory (mode 0755, as tar does for implied parents). */
        CREATE,
        /** The walk answers null. */
        NONE
    }

    /**
     * The one resolution loop: every component from {@code base}, symlinks followed inside the root
     * (an absolute target restarts at the root, {@code ..} stops there), at most
     * {@value #MAX_SYMLINKS} links. Every component must be a directory, except the last when
     * {@code lastMayBeFile}.
     */
    private Dir walk(Dir base, String path, Missing missing, boolean lastMayBeFile) throws IOException {
        var pending = new ArrayDeque<String>();
        push(pending, path);
        var real = new ArrayList<String>();
        if (!base.rel().isEmpty()) {
            real.addAll(List.of(base.rel().split("/")));
        }
        Path current = base.path();
        int links = 0;
        for (String c = pending.pollFirst(); c != null; c = pending.pollFirst()) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!real.isEmpty()) {
                    real.removeLast();
                    current = current.getParent();
                }
                continue;
            }
            Path next = current.resolve(c);
            BasicFileAttributes attrs = lstat(next);
            if (attrs == null) {
                switch (missing) {
                    case APPEND -> {
                        return appendLexically(current, real, c, pending);
                    }
                    case NONE -> {
                        return null;
                    }
                    case CREATE -> {
                        Files.createDirectory(next);
                        Files.setAttribute(next, "unix:mode", 0755); // not the daemon's umask
                    }
                }
            } else if (attrs.isSymbolicLink()) {
                links = countLink(links, next);
                String target = Files.readSymbolicLink(next).toString();
                if (target.startsWith("/")) {
                    real.clear();
                    current = root;
                }
                push(pending, target);
                continue;
            } else if (!attrs.isDirectory() && !(lastMayBeFile && pending.isEmpty())) {
                throw new NotDirectoryException(root.relativize(next) + " (not a directory)");
            }
            real.add(c);
            current = next;
        }
        return new Dir(current, String.join("/", real));
    }

    private int countLink(int links, Path link) throws FileSystemLoopException {
        if (links >= MAX_SYMLINKS) {
            throw new FileSystemLoopException(root.relativize(link) + " (more than " + MAX_SYMLINKS + " symlinks)");
        }
        return links + 1;
    }

    private static void push(ArrayDeque<String> pending, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            pending.addFirst(parts[i]);
        }
    }

    static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
