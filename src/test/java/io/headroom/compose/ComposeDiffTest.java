package io.headroom.compose;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ComposeDiffTest {
    @Test
    void oneChangedLine() {
        String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        String b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assertEquals("--- a/x.yml\n+++ b/x.yml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", ComposeDiff.unified("x.yml", a, b));
    }

    @Test
    void equalTextsGiveNothing() {
        assertEquals("", ComposeDiff.unified("x", "a\n", "a\n"));
    }

    @Test
    void missingFinalNewlineIsMarked() {
        assertEquals("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n",
                ComposeDiff.unified("x", "a", "b"));
        assertEquals("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n", ComposeDiff.unified("x", "a", "a\n"));
    }

    /** Hunks identical to GNU diff -u on the corpus edits (headers differ: diff prints dates). */
    @Test
    void sameHunksAsGnuDiff(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/diff")), "GNU diff not installed");
        int compared = 0;
        for (String f : ComposeCorpusTest.corpusFiles()) {
            String before = Fixtures.read("corpus/" + f);
            Set<String> workers = new java.util.HashSet<>();
            for (String s : Fixtures.serviceNames(before)) {
                if (s.contains("worker")) {
                    workers.add(s);
                }
            }
            EditResult r = ComposeEditor.edit(EditRequest.of(f, before, workers, MemoryValue.bytes(1L << 33)));
            String after = ((EditResult.Edited) r).files().get(0).after();
            Files.writeString(dir.resolve("old"), before);
            Files.writeString(dir.resolve("new"), after);
            ComposeCli.Result gnu = ComposeCli.run(dir, List.of("/usr/bin/diff", "-U3", "old", "new"));
            String ours = ComposeDiff.unified(f, before, after);
            assertEquals(hunks(gnu.out()), hunks(ours), f);
            compared++;
        }
        assertEquals(ComposeCorpusTest.corpusFiles().size(), compared);
    }

    private static String hunks(String diff) {
        return diff.substring(diff.indexOf("@@"));
    }
}
