package dev.perfkit.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link Profile} as a static SVG flame graph: root at the bottom, width = inclusive wall time. */
final class FlameGraph {

    private static final int WIDTH = 1200;
    private static final int FRAME_HEIGHT = 18;
    private static final int TOP = 34;

    private FlameGraph() {
    }

    /** A node of the merged tree: self time of its own path plus its children. */
    private static final class Frame {
        final String name;
        final Map<String, Frame> children = new LinkedHashMap<>();
        long selfNanos;
        long calls;
        private long inclusive = -1;

        Frame(String name) {
            this.name = name;
        }

        /** Self time plus the children's inclusive time; computed once, after the tree is built. */
        long inclusive() {
            if (inclusive < 0) {
                long sum = selfNanos;
                for (Frame child : children.values()) {
                    sum += child.inclusive();
                }
                inclusive = sum;
            }
            return inclusive;
        }

        int depth() {
            int max = 0;
            for (Frame child : children.values()) {
                max = Math.max(max, child.depth());
            }
            return max + 1;
        }
    }

    static String render(Profile profile, String title) {
        Frame root = new Frame("all");
        for (PathProfile p : profile.paths()) {
            Frame f = root;
            for (String name : p.frames()) {
                f = f.children.computeIfAbsent(name, Frame::new);
            }
            f.selfNanos += Math.max(0, p.selfNanos());
            f.calls += p.calls();
        }
        long total = Math.max(1, root.inclusive());
        int depth = root.depth();
        int height = TOP + depth * FRAME_HEIGHT + 10;
        StringBuilder out = new StringBuilder(4096);
        out.append("<?xml version=\"1.0\" standalone=\"no\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"Verdana, sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#fdfdf6\"/>\n")
                .append("<text x=\"").append(WIDTH / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"16\">")
                .append(escape(title)).append("</text>\n");
        List<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {root, 0.0, 0});
        while (!stack.isEmpty()) {
            Object[] item = stack.remove(stack.size() - 1);
            Frame f = (Frame) item[0];
            double x = (double) item[1];
            int level = (int) item[2];
            double width = (double) f.inclusive() / total * WIDTH;
            double y = height - 10 - (level + 1) * FRAME_HEIGHT;
            String label = f.name + " (" + f.inclusive() / 1_000 + " us inclusive, " + f.calls + " calls)";
            out.append("<g><title>").append(escape(label)).append("</title><rect x=\"").append(fmt(x))
                    .append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(Math.max(width, 0.1)))
                    .append("\" height=\"").append(FRAME_HEIGHT - 1).append("\" fill=\"").append(color(f.name))
                    .append("\" rx=\"2\"/>");
            if (width > 40) {
                int chars = (int) (width / 7.5);
                String text = f.name.length() > chars ? f.name.substring(0, Math.max(chars - 2, 1)) + ".." : f.name;
                out.append("<text x=\"").append(fmt(x + 3)).append("\" y=\"").append(fmt(y + 13)).append("\">")
                        .append(escape(text)).append("</text>");
            }
            out.append("</g>\n");
            double childX = x;
            List<Object[]> children = new ArrayList<>();
            for (Frame child : f.children.values()) {
                children.add(new Object[] {child, childX, level + 1});
                childX += (double) child.inclusive() / total * WIDTH;
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.add(children.get(i));
            }
        }
        return out.append("</svg>\n").toString();
    }

    private static String color(String name) {
        int h = name.hashCode();
        int r = 205 + Math.floorMod(h, 50);
        int g = 80 + Math.floorMod(h >> 8, 120);
        int b = Math.floorMod(h >> 16, 60);
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", r, g, b);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
