package dev.pmemfs.cli.io;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * One xfs_io command as {@code cmdinfo_t} describes it (libxcmd/command.h): names, argument count
 * bounds (argmax -1 = unbounded), usage text, and whether it needs an open file or a mapping.
 */
record IoCmd(String name, String altname, int argmin, int argmax, String args, String oneline, boolean needsFile,
             boolean needsMapping, Handler handler) {
    /** The command body; argv[0] is the command name as typed. */
    @FunctionalInterface
    interface Handler {
        void run(IoSession s, List<String> argv) throws ErrnoException;
    }

    static IoCmd onFile(String name, int argmin, int argmax, String args, String oneline, Handler h) {
        return new IoCmd(name, null, argmin, argmax, args, oneline, true, false, h);
    }

    static IoCmd onMapping(String name, int argmin, int argmax, String args, String oneline, Handler h) {
        return new IoCmd(name, null, argmin, argmax, args, oneline, true, true, h);
    }

    /** {@code command_usage}: "name args -- oneline". */
    String usage() {
        return name + " " + args + " -- " + oneline;
    }
}
