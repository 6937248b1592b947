package io.headroom.probe.parse;

import io.headroom.model.Masked;
import io.headroom.model.Sha256;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The section frame drops the text's last newline (emit adds one when the text had none), and the masking awk ends every
 * line it sends with one: the two hashes tell which text was meant. ProbeEmitTest runs the probe's own functions.
 */
class ComposeSectionParserTest {
    /** The section body as the frame parser returns it: the hashes' line, then the sent text without its last newline. */
    private static String body(String file, String sent) {
        String framed = sent.endsWith("\n") ? sent.substring(0, sent.length() - 1) : sent;
        return Sha256.hex(file) + " " + Sha256.hex(sent) + "\n" + framed;
    }

    @Test
    void aFileWithNothingMaskedIsItselfWithOrWithoutItsLastNewline() {
        for (String file : new String[]{"services: {}\n", "services: {}", "a: 1\n\n\n", "\n", ""}) {
            String sent = file.isEmpty() || file.endsWith("\n") ? file : file + "\n";  // what the awk sends
            assertEquals(file, ComposeSectionParser.parse("/c.yml", body(file, sent), false).content(), file);
        }
    }

    @Test
    void aMaskedTextIsTheOneTheSentHashNames() {
        String file = "environment:\n  DB_PASSWORD: hunter2";
        String sent = "environment:\n  DB_PASSWORD: " + Masked.MARKER + "\n";
        var parsed = ComposeSectionParser.parse("/c.yml", body(file, sent), false);
        assertEquals(sent, parsed.content());
        assertEquals(Sha256.hex(file), parsed.sha256(), "the push checks the file's own hash");
    }

    @Test
    void aProbeWithOneHashIsTheFileItself() {
        String file = "a: 1\n";
        assertEquals(file, ComposeSectionParser.parse("/c.yml", Sha256.hex(file) + "\na: 1", false).content());
    }
}
