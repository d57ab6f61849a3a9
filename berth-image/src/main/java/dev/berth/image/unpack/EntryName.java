package dev.berth.image.unpack;

/**
 * A tar entry name (or hard link target) checked lexically: relative, no {@code ..} component, no
 * NUL; {@code .} and empty components dropped. This is only the first gate: symlinks on the way are
 * resolved inside the root by {@link SecureResolver}.
 *
 * @param path   the cleaned path, {@code ""} for the root itself ({@code ./})
 * @param parent the cleaned path of the containing directory, {@code ""} at the top
 * @param last   the final component, {@code ""} for the root
 */
record EntryName(String path, String parent, String last) {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";

    static EntryName parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new RejectedEntry("empty name");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new RejectedEntry("NUL byte in name");
        }
        if (raw.startsWith("/")) {
            throw new RejectedEntry("absolute name");
        }
        var cleaned = new StringBuilder(raw.length());
        int lastStart = 0;
        for (String component : raw.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                throw new RejectedEntry("'..' component in name");
            }
            if (!cleaned.isEmpty()) {
                cleaned.append('/');
            }
            lastStart = cleaned.length();
            cleaned.append(component);
        }
        String path = cleaned.toString();
        return new EntryName(path, lastStart == 0 ? "" : path.substring(0, lastStart - 1), path.substring(lastStart));
    }

    boolean isRoot() {
        return path.isEmpty();
    }

    boolean isWhiteout() {
        return last.startsWith(WHITEOUT_PREFIX);
    }
}
