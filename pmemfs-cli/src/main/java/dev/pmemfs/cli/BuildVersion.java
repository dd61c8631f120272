package dev.pmemfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What {@code --version} prints: "pmemfs VERSION", the version Maven built (the project version,
 * written into {@code build.properties} by resource filtering), so it cannot drift from the pom.
 * Every command and subcommand answers {@code -V} with it.
 */
public final class BuildVersion implements CommandLine.IVersionProvider {
    private static final String RESOURCE = "build.properties";

    /** The project version of this build, e.g. "0.1.0-SNAPSHOT". */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build of " + BuildVersion.class.getPackageName()
                        + "; rebuild with Maven (mvn package), which writes it");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("version", "");
        if (v.isBlank() || v.contains("${")) {
            throw new IllegalStateException(RESOURCE + " holds no filtered version ('" + v
                    + "'); build with Maven, whose resource filtering fills it in");
        }
        return v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"pmemfs " + version()};
    }
}
