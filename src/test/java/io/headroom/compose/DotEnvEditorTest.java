package io.headroom.compose;

import io.headroom.probe.parse.DotEnvParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DotEnvEditorTest {
    @Test
    void replacesInPlaceKeepingEverythingElse() {
        String env = "# Dask cluster\nCOMPOSE_PROJECT_NAME=dask\nAVAILABLE_MEMORY_FOR_DASK=1073741824\n\nOTHER=x # y\n";
        assertEquals(env.replace("1073741824", "12884901888"), DotEnvEditor.setAvailableMemory(env, 12_884_901_888L));
    }

    @Test
    void keepsExportPrefixSpacingQuotesAndCrlf() {
        String env = "export AVAILABLE_MEMORY_FOR_DASK = \"0\"\r\nA=1\r\n";
        assertEquals("export AVAILABLE_MEMORY_FOR_DASK = \"5\"\r\nA=1\r\n", DotEnvEditor.set(env, "AVAILABLE_MEMORY_FOR_DASK", "5"));
    }

    @Test
    void everyAssignmentIsUpdatedSoTheLastOneStillWins() {
        String env = "AVAILABLE_MEMORY_FOR_DASK=1\nAVAILABLE_MEMORY_FOR_DASK='2'\n";
        String out = DotEnvEditor.setAvailableMemory(env, 7);
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=7\nAVAILABLE_MEMORY_FOR_DASK='7'\n", out);
        assertEquals("7", DotEnvParser.availableMemoryForDask(out));
    }

    @Test
    void appendsWhenAbsent() {
        assertEquals("A=1\nAVAILABLE_MEMORY_FOR_DASK=7\n", DotEnvEditor.setAvailableMemory("A=1\n", 7));
        assertEquals("A=1\nAVAILABLE_MEMORY_FOR_DASK=7\n", DotEnvEditor.setAvailableMemory("A=1", 7));
        assertEquals("A=1\r\nAVAILABLE_MEMORY_FOR_DASK=7\r\n", DotEnvEditor.setAvailableMemory("A=1\r\n", 7));
        assertEquals("AVAILABLE_MEMORY_FOR_DASK=7\n", DotEnvEditor.setAvailableMemory("", 7));
        // a similar name is another variable
        assertEquals("AVAILABLE_MEMORY_FOR_DASK_OLD=1\nAVAILABLE_MEMORY_FOR_DASK=7\n",
                DotEnvEditor.setAvailableMemory("AVAILABLE_MEMORY_FOR_DASK_OLD=1\n", 7));
    }

    @Test
    void refusesZeroAndOddValues() {
        assertThrows(IllegalArgumentException.class, () -> DotEnvEditor.setAvailableMemory("", 0));
        assertThrows(IllegalArgumentException.class, () -> DotEnvEditor.set("", "A", "x y"));
        assertThrows(IllegalArgumentException.class, () -> DotEnvEditor.set("", "1A", "x"));
    }

    @Test
    void theEnvFileIsBesideTheFirstComposeFile() {
        assertEquals("/srv/dask/.env", DotEnvEditor.envPathFor(List.of("/srv/dask/docker-compose.yml", "/etc/override.yml")));
        assertEquals(".env", DotEnvEditor.envPathFor(List.of("compose.yaml")));
    }
}
