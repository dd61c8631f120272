package dev.pmemfs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A picocli mixin giving a command the namespace directory: the hidden {@code --home DIR} option
 * (tests and scripts use it instead of the environment), else {@code $PMEMFS_HOME}, else
 * {@code ~/.pmemfs}.
 */
public final class HomeOption {
    @Option(names = "--home", hidden = true, paramLabel = "DIR",
            description = "Directory of the namespaces (default: $PMEMFS_HOME, else ~/.pmemfs).")
    Path dir;

    public Home home() {
        return dir != null ? Home.at(dir) : Home.fromEnvironment();
    }
}
