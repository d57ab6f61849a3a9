package dev.berth.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with left-aligned columns three spaces apart, as {@code docker ps} prints. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        rows.add(headers);
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    void print(PrintStream out) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        var line = new StringBuilder();
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i < columns; i++) {
                line.append(cell(row, i));
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - cell(row, i).length() + 3));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(String[] row, int i) {
        return i < row.length && row[i] != null && !row[i].isEmpty() ? row[i] : "-";
    }
}
