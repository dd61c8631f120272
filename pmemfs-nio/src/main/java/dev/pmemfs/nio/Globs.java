package dev.pmemfs.nio;

/**
 * Glob syntax to a regular expression, with the rules {@code FileSystem.getPathMatcher} documents
 * (and sun.nio.fs.Globs implements for the default provider): {@code *} within a name, {@code **}
 * across names, {@code ?} one character, {@code [...]} classes ({@code !} negates), {@code {a,b}}
 * groups (not nested), {@code \} escapes.
 */
final class Globs {
    private Globs() {}

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder("^");
        boolean inGroup = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == glob.length()) {
                        throw new java.util.regex.PatternSyntaxException("No character to escape", glob, i - 1);
                    }
                    re.append(quote(glob.charAt(i++)));
                }
                case '/' -> re.append('/');
                case '[' -> {
                    re.append("[[^/]&&[");
                    if (i < glob.length() && glob.charAt(i) == '!') {
                        re.append('^');
                        i++;
                    }
                    boolean closed = false;
                    while (i < glob.length()) {
                        char d = glob.charAt(i++);
                        if (d == ']') {
                            closed = true;
                            break;
                        }
                        if (d == '\\' || d == '[' || d == '&' && i < glob.length() && glob.charAt(i) == '&') {
                            re.append('\\');
                        }
                        re.append(d);
                    }
                    if (!closed) {
                        throw new java.util.regex.PatternSyntaxException("Missing ']'", glob, i - 1);
                    }
                    re.append("]]");
                }
                case '{' -> {
                    if (inGroup) {
                        throw new java.util.regex.PatternSyntaxException("Cannot nest groups", glob, i - 1);
                    }
                    re.append("(?:(?:");
                    inGroup = true;
                }
                case '}' -> {
                    if (inGroup) {
                        re.append("))");
                        inGroup = false;
                    } else {
                        re.append('}');
                    }
                }
                case ',' -> re.append(inGroup ? ")|(?:" : ",");
                case '*' -> {
                    if (i < glob.length() && glob.charAt(i) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                default -> re.append(quote(c));
            }
        }
        if (inGroup) {
            throw new java.util.regex.PatternSyntaxException("Missing '}'", glob, glob.length() - 1);
        }
        return re.append('$').toString();
    }

    /** One character, quoted for a regular expression. */
    private static String quote(char c) {
        return "\\^$.|?*+()[]{}".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
    }
}
