package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** {@code --version} prints the version the pom declares, on every command and subcommand. */
class VersionTest {
    /** project/version of the pom.xml the suite runs from (Maven's base directory). */
    private static String pomVersion() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile()).getDocumentElement();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("pom.xml has no project version");
    }

    @Test
    void version_isTheBuildsProjectVersion() throws Exception {
        String expected = "pmemfs " + pomVersion() + "\n";
        Cli.Result r = Cli.runRaw("--version");
        assertEquals(0, r.exit(), r.err());
        assertEquals(expected, r.out());
        assertFalse(BuildVersion.version().contains("${"));
    }

    @Test
    void everySubcommandPrintsTheSameVersion() throws Exception {
        String expected = "pmemfs " + pomVersion() + "\n";
        List<String> wrong = new ArrayList<>();
        InProcess.Runner runner = new InProcess.Runner();
        for (BadArgumentCorpusTest.Node n : BadArgumentCorpusTest.commandTree()) {
            if (n.spec().findOption("-V") == null) {
                continue; // help
            }
            List<String> argv = new ArrayList<>(n.words());
            argv.add("-V");
            InProcess.Result r = runner.run(argv.toArray(String[]::new));
            if (r.exit() != 0 || !r.out().equals(expected)) {
                wrong.add(n.name() + " -V: exit " + r.exit() + ", printed '" + r.out() + "'");
            }
        }
        assertEquals(List.of(), wrong);
    }
}
