package dev.pmemfs.study;

/**
 * How strategy number {@code i} (in study order) is drawn in every chart: a colour from a
 * colour-blind-aware categorical palette (Tableau 10, with its yellow dropped for contrast on white),
 * and a dash pattern and marker shape, so series stay apart in greyscale and where colours are close.
 */
record Palette(int index) {
    private static final String[] COLOURS = {
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#9c755f", "#ff9da7", "#bab0ac",
    };
    private static final String[] DASHES = {"", "7 4", "2 3", "10 3 2 3", "4 2", "12 4", "1 2"};

    enum Marker { CIRCLE, SQUARE, TRIANGLE, DIAMOND, TRIANGLE_DOWN }

    Palette {
        if (index < 0) {
            throw new IllegalArgumentException("series index " + index + " < 0");
        }
    }

    String colour() {
        return COLOURS[index % COLOURS.length];
    }

    /** An SVG {@code stroke-dasharray} value; empty for a solid line. */
    String dash() {
        return DASHES[(index / COLOURS.length + index) % DASHES.length];
    }

    Marker marker() {
        return Marker.values()[index % Marker.values().length];
    }

    /** The SVG path data of this series' marker centred on (x, y) with radius {@code r}. */
    String markerPath(double x, double y, double r) {
        return switch (marker()) {
            case CIRCLE -> "M" + Svg.num(x - r) + " " + Svg.num(y) + "a" + Svg.num(r) + " " + Svg.num(r) + " 0 1 0 "
                    + Svg.num(2 * r) + " 0a" + Svg.num(r) + " " + Svg.num(r) + " 0 1 0 " + Svg.num(-2 * r) + " 0Z";
            case SQUARE -> polygon(x, y, new double[] {-r, -r, r, -r, r, r, -r, r}, 0.9);
            case TRIANGLE -> polygon(x, y, new double[] {0, -r, r, r * 0.8, -r, r * 0.8}, 1.15);
            case DIAMOND -> polygon(x, y, new double[] {0, -r, r, 0, 0, r, -r, 0}, 1.25);
            case TRIANGLE_DOWN -> polygon(x, y, new double[] {0, r, r, -r * 0.8, -r, -r * 0.8}, 1.15);
        };
    }

    private static String polygon(double x, double y, double[] offsets, double scale) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < offsets.length; i += 2) {
            d.append(i == 0 ? 'M' : 'L').append(Svg.num(x + offsets[i] * scale)).append(' ')
                    .append(Svg.num(y + offsets[i + 1] * scale));
        }
        return d.append('Z').toString();
    }
}
