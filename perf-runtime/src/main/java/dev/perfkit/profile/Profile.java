package dev.perfkit.profile;

import dev.perfkit.Durations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable profile of nested {@code @Profiled} calls: per path and per method, with a pstats-like report, collapsed
 * stacks for flame-graph tools, a self-contained SVG flame graph, and a tab-separated form that can be saved, read
 * back and merged.
 */
public final class Profile {

    /** Name of the frame that collects calls on paths beyond the cap. */
    public static final String OVERFLOW = "(overflow)";

    private final List<PathProfile> paths;

    private Profile(List<PathProfile> paths) {
        this.paths = List.copyOf(paths);
    }

    /** A profile of {@code paths}; paths with the same frames are summed. */
    public static Profile of(List<PathProfile> paths) {
        Map<String, PathProfile> merged = new TreeMap<>();
        for (PathProfile p : paths) {
            merged.merge(p.key(), p, PathProfile::plus);
        }
        return new Profile(new ArrayList<>(merged.values()));
    }

    /** An empty profile. */
    public static Profile empty() {
        return new Profile(List.of());
    }

    /** This profile and {@code other} summed path by path. */
    public Profile merge(Profile other) {
        List<PathProfile> all = new ArrayList<>(paths);
        all.addAll(other.paths);
        return of(all);
    }

    /** Every path, sorted by its frames. */
    public List<PathProfile> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    /** Calls that landed on paths beyond the cap. */
    public long overflowCalls() {
        return paths.stream().filter(p -> p.frames().get(0).equals(OVERFLOW)).mapToLong(PathProfile::calls).sum();
    }

    /** Per-method totals, all methods, largest {@code key} first. */
    public List<MethodProfile> methods(SortKey key) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (PathProfile p : paths) {
            String method = p.method();
            long[] s = sums.computeIfAbsent(method, m -> new long[5]);
            s[0] += p.calls();
            s[2] += p.selfNanos();
            boolean outermost = p.frames().subList(0, p.frames().size() - 1).stream().noneMatch(method::equals);
            if (outermost) {
                s[1] += p.totalNanos();
                s[3] += p.cpuNanos();
                s[4] += p.allocatedBytes();
            }
        }
        List<MethodProfile> out = new ArrayList<>();
        sums.forEach((name, s) -> out.add(new MethodProfile(name, s[0], s[1], s[2], s[3], s[4])));
        out.sort(Comparator.comparingLong((MethodProfile m) -> m.value(key)).reversed()
                .thenComparing(MethodProfile::name));
        return out;
    }

    /** The first {@code limit} methods by {@code key}. */
    public List<MethodProfile> top(SortKey key, int limit) {
        List<MethodProfile> all = methods(key);
        return all.subList(0, Math.min(Math.max(limit, 0), all.size()));
    }

    /**
     * A pstats-like table of the top {@code limit} methods by {@code key}: calls, total, self, per-call total, CPU and
     * allocation.
     */
    public String table(SortKey key, int limit) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"calls", "total", "self", "total/call", "cpu", "alloc", "method"});
        for (MethodProfile m : top(key, limit)) {
            rows.add(new String[] {
                Long.toString(m.calls()),
                Durations.format(m.totalNanos()),
                Durations.format(m.selfNanos()),
                Durations.format(m.calls() == 0 ? 0 : m.totalNanos() / m.calls()),
                Durations.format(m.cpuNanos()),
                Durations.formatBytes(m.allocatedBytes()),
                m.name()
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("profile sorted by ").append(key.name().toLowerCase(java.util.Locale.ROOT)).append(", ")
                .append(paths.size()).append(" paths");
        long calls = paths.stream().mapToLong(PathProfile::calls).sum();
        long measured = paths.stream().mapToLong(PathProfile::threadMetricCalls).sum();
        if (measured < calls) {
            out.append("; cpu and alloc cover ").append(measured).append(" of ").append(calls)
                    .append(" calls (calls on virtual threads have neither)");
        }
        out.append('\n');
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                boolean last = c == row.length - 1;
                String pad = " ".repeat(widths[c] - row[c].length());
                out.append(last ? row[c] : pad + row[c] + "  ");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Collapsed stacks, one line per path with self time: {@code outer;inner;innermost <selfNanos>}, the input format
     * of flamegraph.pl, speedscope and similar tools. Semicolons and spaces inside names are replaced by {@code _}.
     */
    public String collapsedStacks() {
        StringBuilder out = new StringBuilder();
        for (PathProfile p : paths) {
            if (p.selfNanos() <= 0) {
                continue;
            }
            for (int i = 0; i < p.frames().size(); i++) {
                out.append(i == 0 ? "" : ";").append(p.frames().get(i).replace(';', '_').replace(' ', '_'));
            }
            out.append(' ').append(p.selfNanos()).append('\n');
        }
        return out.toString();
    }

    /** A self-contained SVG flame graph (no scripts), frame widths proportional to inclusive wall time. */
    public String flameGraphSvg(String title) {
        return FlameGraph.render(this, title);
    }

    /**
     * Tab-separated form: a header line, then {@code frames<TAB>calls<TAB>totalNanos<TAB>selfNanos<TAB>cpuNanos
     * <TAB>allocatedBytes<TAB>threadMetricCalls} per path, frames joined with {@code ;}. Read back by
     * {@link #parseTsv(String)}.
     */
    public String toTsv() {
        StringBuilder out = new StringBuilder(
                "# frames\tcalls\ttotalNanos\tselfNanos\tcpuNanos\tallocatedBytes\tthreadMetricCalls\n");
        for (PathProfile p : paths) {
            out.append(p.key()).append('\t').append(p.calls()).append('\t').append(p.totalNanos()).append('\t')
                    .append(p.selfNanos()).append('\t').append(p.cpuNanos()).append('\t').append(p.allocatedBytes())
                    .append('\t').append(p.threadMetricCalls()).append('\n');
        }
        return out.toString();
    }

    /** Column names of {@link #toTsv()} after the frames, in order. */
    private static final String[] NUMBER_FIELDS = {
        "calls", "totalNanos", "selfNanos", "cpuNanos", "allocatedBytes", "threadMetricCalls"};

    /**
     * Parses {@link #toTsv()} output; paths repeated (e.g. several runs appended) are summed. Lines of six fields
     * (written before the {@code threadMetricCalls} column existed) count every call as measured. Every value is
     * checked: counts, times and bytes are integers of at least 0, {@code selfNanos <= totalNanos} and
     * {@code threadMetricCalls <= calls}.
     *
     * @throws IllegalArgumentException naming the line, the field, the value and the allowed range when a line is
     *                                  malformed
     */
    public static Profile parseTsv(String text) {
        List<PathProfile> paths = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t");
            if (cells.length != 6 && cells.length != 7) {
                throw new IllegalArgumentException("profile line " + (i + 1) + ": expected 7 tab-separated fields, "
                        + "found " + cells.length);
            }
            long[] numbers = new long[6];
            for (int c = 0; c < cells.length - 1; c++) {
                try {
                    numbers[c] = Long.parseLong(cells[c + 1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("profile line " + (i + 1) + ", field " + NUMBER_FIELDS[c]
                            + ": '" + cells[c + 1] + "' is not an integer", e);
                }
                if (numbers[c] < 0) {
                    throw new IllegalArgumentException("profile line " + (i + 1) + ", field " + NUMBER_FIELDS[c]
                            + ": " + numbers[c] + " is negative (must be 0 or more)");
                }
            }
            if (cells.length == 6) {
                numbers[5] = numbers[0];
            }
            if (numbers[2] > numbers[1]) {
                throw new IllegalArgumentException("profile line " + (i + 1) + ": selfNanos " + numbers[2]
                        + " exceeds totalNanos " + numbers[1] + " (self time is part of the total)");
            }
            if (numbers[5] > numbers[0]) {
                throw new IllegalArgumentException("profile line " + (i + 1) + ": threadMetricCalls " + numbers[5]
                        + " exceeds calls " + numbers[0]);
            }
            paths.add(new PathProfile(Arrays.asList(cells[0].split(";")), numbers[0], numbers[1], numbers[2],
                    numbers[3], numbers[4], numbers[5]));
        }
        return of(paths);
    }

    /** Distinct method names in this profile. */
    public Set<String> methodNames() {
        Set<String> names = new HashSet<>();
        paths.forEach(p -> names.add(p.method()));
        return names;
    }
}
