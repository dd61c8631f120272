package dev.pmemfs.study;

import java.util.Locale;

/**
 * A small writer of inline SVG markup: shapes with coordinates printed with one decimal in
 * {@link Locale#ROOT} (so output is byte-for-byte stable), and every piece of text escaped.
 */
final class Svg {
    private final StringBuilder out = new StringBuilder();

    /** Starts an {@code <svg>} of {@code width} × {@code height} user units that scales to its container. */
    Svg(double width, double height, String ariaLabel, String cssClass) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"").append(escape(cssClass))
                .append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" role=\"img\" aria-label=\"").append(escape(ariaLabel)).append("\">\n");
    }

    /** XML/HTML escaping for text and attribute values. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A coordinate: one decimal, no trailing ".0". */
    static String num(double v) {
        long rounded = Math.round(v * 10);
        if (rounded % 10 == 0) {
            return Long.toString(rounded / 10);
        }
        return String.format(Locale.ROOT, "%.1f", rounded / 10.0);
    }

    Svg rect(double x, double y, double w, double h, String attrs) {
        return rect(x, y, w, h, attrs, null);
    }

    /** A rectangle; {@code tooltip} (may be null) becomes its {@code <title>}. */
    Svg rect(double x, double y, double w, double h, String attrs, String tooltip) {
        out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(w)).append("\" height=\"").append(num(h)).append('"').append(attrs(attrs));
        return closeWithTitle("rect", tooltip);
    }

    Svg line(double x1, double y1, double x2, double y2, String attrs) {
        out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x2)).append("\" y2=\"").append(num(y2)).append('"').append(attrs(attrs)).append("/>\n");
        return this;
    }

    Svg circle(double cx, double cy, double r, String attrs, String tooltip) {
        out.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" r=\"")
                .append(num(r)).append('"').append(attrs(attrs));
        return closeWithTitle("circle", tooltip);
    }

    /** A path; {@code d} is built from {@link #num} coordinates by the caller. */
    Svg path(String d, String attrs, String tooltip) {
        out.append("<path d=\"").append(d).append('"').append(attrs(attrs));
        return closeWithTitle("path", tooltip);
    }

    /** Text at (x, y); {@code attrs} holds anchor, size and fill. */
    Svg text(double x, double y, String text, String attrs) {
        out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"').append(attrs(attrs))
                .append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** Opens a group (close it with {@link #end}). */
    Svg group(String attrs) {
        out.append("<g").append(attrs(attrs)).append(">\n");
        return this;
    }

    Svg end() {
        out.append("</g>\n");
        return this;
    }

    /** The finished element. */
    String close() {
        return out + "</svg>\n";
    }

    private static String attrs(String attrs) {
        return attrs == null || attrs.isEmpty() ? "" : " " + attrs;
    }

    private Svg closeWithTitle(String element, String tooltip) {
        if (tooltip == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(escape(tooltip)).append("</title></").append(element).append(">\n");
        }
        return this;
    }
}
