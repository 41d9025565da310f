package dev.perfkit.traffic.io;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line into cells (RFC 4180 quoting, one record per line). */
final class CsvCells {

    private CsvCells() {
    }

    static List<String> split(String line, String source, int lineNumber) throws TrafficInputException {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            cell.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new TrafficInputException(source, lineNumber, -1, null,
                                "unterminated quoted cell starting in column " + (cells.size() + 1));
                    }
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        cell.append(ch);
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new TrafficInputException(source, lineNumber, -1, null, "unexpected character '"
                            + line.charAt(i) + "' after a quoted cell in column " + (cells.size() + 1));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    cell.append(line.charAt(i++));
                }
            }
            cells.add(cell.toString());
            if (i >= n) {
                return cells;
            }
            i++; // the comma
        }
    }
}
