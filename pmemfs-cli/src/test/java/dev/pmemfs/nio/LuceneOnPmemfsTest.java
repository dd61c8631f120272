package dev.pmemfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.NIOFSDirectory;
import org.junit.jupiter.api.Test;

/**
 * Apache Lucene, unchanged, on a pmemfs path: NIOFSDirectory indexes and searches a few thousand
 * generated documents; poison in a segment file makes Lucene fail with the media error in its cause
 * chain; recovery turns the bad block into zeros, which Lucene's checksums report as
 * CorruptIndexException (never silently used); a reindex brings search back.
 */
class LuceneOnPmemfsTest {
    private static final int DOCS = 3000;
    private static final List<String> WORDS = Stream.iterate(0, i -> i + 1).limit(2000).map(i -> "w" + i).toList();

    /** Doc i carries tag t(i % 100) and twenty words drawn from a seeded vocabulary. */
    private static void index(Directory dir, IndexWriterConfig.OpenMode mode) throws IOException {
        Gen g = new Gen(20261202L);
        IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer()).setOpenMode(mode);
        try (IndexWriter w = new IndexWriter(dir, cfg)) {
            for (int i = 0; i < DOCS; i++) {
                StringBuilder body = new StringBuilder("t" + (i % 100));
                for (int k = 0; k < 20; k++) {
                    body.append(' ').append(g.pick(WORDS));
                }
                Document d = new Document();
                d.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                d.add(new TextField("body", body.toString(), Field.Store.YES));
                w.addDocument(d);
            }
            w.forceMerge(1);
            w.commit();
        }
    }

    private static int hits(Directory dir, String tag) throws IOException {
        try (DirectoryReader r = DirectoryReader.open(dir)) {
            return new IndexSearcher(r).count(new TermQuery(new Term("body", tag)));
        }
    }

    /** What a careful application runs after a scare: every file of every segment read and checksummed. */
    private static void checkIntegrity(Directory dir) throws IOException {
        try (DirectoryReader r = DirectoryReader.open(dir)) {
            for (LeafReaderContext leaf : r.leaves()) {
                leaf.reader().checkIntegrity();
            }
        }
    }

    private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Test
    void indexSearchPoisonRecoverReindex() throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("pmemfs:/namespace0.0"), Map.of("create", "128m"))) {
            Path path = fs.getPath("/index");
            try (Directory dir = new NIOFSDirectory(path)) {
                index(dir, IndexWriterConfig.OpenMode.CREATE);
                assertEquals(DOCS / 100, hits(dir, "t17"));
                checkIntegrity(dir);

                Path victim;
                try (Stream<Path> files = Files.list(path)) {
                    victim = files.max(Comparator.comparingLong(LuceneOnPmemfsTest::sizeOf)).orElseThrow();
                }
                long size = Files.size(victim);
                assertTrue(size > 3 * 4096, victim + " is " + size + " bytes");
                long bad = size / 2 / 4096 * 4096;
                PmemFiles.inject(victim, bad, 4096);

                IOException e = assertThrows(IOException.class, () -> checkIntegrity(dir));
                MediaErrorException media = causeOf(e, MediaErrorException.class);
                assertNotNull(media, "the media error is in Lucene's cause chain: " + e);
                assertEquals(victim.toString(), media.file());
                assertEquals(bad, media.offset());
                assertEquals(4096, media.length());

                PmemFiles.Recovery r = PmemFiles.recover(victim);
                assertEquals(List.of(new PmemFiles.BadRange(bad, 4096)), r.lost());
                CorruptIndexException corrupt = assertThrows(CorruptIndexException.class, () -> checkIntegrity(dir),
                        "the recovered block reads as zeros: Lucene's checksum must catch it");
                assertTrue(corrupt.getMessage().contains(victim.getFileName().toString()), corrupt.getMessage());

                index(dir, IndexWriterConfig.OpenMode.CREATE);
                checkIntegrity(dir);
                assertEquals(DOCS / 100, hits(dir, "t17"));
            }
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
