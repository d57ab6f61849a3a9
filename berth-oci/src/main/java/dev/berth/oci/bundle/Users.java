package dev.berth.oci.bundle;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves {@code user[:group]} (names or numbers) against the workload's own {@code /etc/passwd}
 * and {@code /etc/group}, as Docker does: a name must exist there; a number need not; supplementary
 * groups are the groups listing the user by name.
 */
public final class Users {
    private final String passwd;
    private final String group;

    /** The two files' text; empty strings when the image has none. */
    public Users(String passwd, String group) {
        this.passwd = passwd == null ? "" : passwd;
        this.group = group == null ? "" : group;
    }

    /** {@code spec} null or empty means root. {@code field} names the setting in errors. */
    public ResolvedUser resolve(String spec, String field) {
        if (spec == null || spec.isBlank()) {
            return withGroups(passwdByUid(0).orElse(new String[] {"root", "x", "0", "0", "", "/root"}), null, field);
        }
        String[] parts = spec.split(":", 2);
        String userPart = parts[0];
        String groupPart = parts.length > 1 ? parts[1] : null;
        String[] entry;
        if (isNumber(userPart)) {
            // Docker: a uid without a passwd entry runs with gid 0 and home /.
            entry = passwdByUid(Integer.parseInt(userPart)).orElse(new String[] {userPart, "x", userPart, "0", "", "/"});
        } else {
            entry = passwdByName(userPart).orElseThrow(() -> new BerthException(ErrorCode.INVALID_SPEC,
                    field + ": user '" + userPart + "' is not in the image's /etc/passwd", field, null));
        }
        return withGroups(entry, groupPart, field);
    }

    private ResolvedUser withGroups(String[] entry, String groupPart, String field) {
        int uid = Integer.parseInt(entry[2]);
        int gid;
        if (groupPart == null) {
            gid = Integer.parseInt(entry[3]);
        } else if (isNumber(groupPart)) {
            gid = Integer.parseInt(groupPart);
        } else {
            gid = groupByName(groupPart).map(g -> Integer.parseInt(g[2])).orElseThrow(() -> new BerthException(
                    ErrorCode.INVALID_SPEC, field + ": group '" + groupPart + "' is not in the image's /etc/group", field, null));
        }
        var extra = new ArrayList<Integer>();
        if (groupPart == null) {
            for (String[] g : entries(group)) {
                if (g.length >= 4 && List.of(g[3].split(",")).contains(entry[0]) && isNumber(g[2])) {
                    int id = Integer.parseInt(g[2]);
                    if (id != gid && !extra.contains(id)) {
                        extra.add(id);
                    }
                }
            }
        }
        String home = entry.length > 5 && !entry[5].isEmpty() ? entry[5] : "/";
        return new ResolvedUser(uid, gid, extra, home);
    }

    private Optional<String[]> passwdByName(String name) {
        return entries(passwd).stream().filter(e -> e.length >= 4 && e[0].equals(name) && isNumber(e[2]) && isNumber(e[3])).findFirst();
    }

    private Optional<String[]> passwdByUid(int uid) {
        return entries(passwd).stream().filter(e -> e.length >= 4 && isNumber(e[2]) && isNumber(e[3])
                && Integer.parseInt(e[2]) == uid).findFirst();
    }

    private Optional<String[]> groupByName(String name) {
        return entries(group).stream().filter(e -> e.length >= 3 && e[0].equals(name) && isNumber(e[2])).findFirst();
    }

    private static List<String[]> entries(String text) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(":", -1)).toList();
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 10 && s.chars().allMatch(Character::isDigit) && Long.parseLong(s) <= Integer.MAX_VALUE;
    }
}
