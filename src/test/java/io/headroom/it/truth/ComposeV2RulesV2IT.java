package io.headroom.it.truth;

import io.headroom.it.Need;
import io.headroom.it.Needs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.compose.ComposeV2Cases;
import io.headroom.compose.EditResult;
import io.headroom.it.Lab;
import io.headroom.it.LabPlatform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compose v2's memory rules, asked of Compose v2 itself ({@code docker compose config}, 2.26.1 on the lab's v2 VM):
 * every input of {@link ComposeV2Cases} is refused by compose exactly when the case says so ("can't set distinct
 * values on 'mem_limit' and 'deploy.resources.limits.memory'"), and every file the editor writes is accepted,
 * with {@code mem_limit} and {@code deploy.resources.limits.memory} both the bytes asked for.
 */
@Needs({Need.LAB_V2})
@Tag("lab")
class ComposeV2RulesV2IT {
    private static final LabPlatform VM = LabPlatform.V2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIR = "/tmp/headroom-compose-v2-rules";
    private static final List<ComposeV2Cases.Case> CASES = ComposeV2Cases.ALL;

    @BeforeAll
    static void requireVm() {
        VM.require();
        VM.shOk(30, "rm -rf " + DIR + " && mkdir -p " + DIR);
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void composeAgreesWithTheEditor(ComposeV2Cases.Case c) throws Exception {
        Lab.Result input = config(c.fixture(), c.text());
        if (c.composeRefusesInput()) {
            assertNotEquals(0, input.exit(), "docker compose accepted " + c.fixture() + ": " + input.out());
            assertTrue(input.err().contains("can't set distinct values on"), input.err());
            assertInstanceOf(EditResult.Refused.class, c.edit(), "the editor must refuse what compose refuses");
        } else {
            assertEquals(0, input.exit(), c.fixture() + ": " + input.err());
        }
        if (c.edit() instanceof EditResult.Edited e) {
            Lab.Result output = config("edited-" + c.fixture(), e.files().get(0).after());
            assertEquals(0, output.exit(), "docker compose refused the editor's output of " + c.fixture() + ": " + output.err());
            JsonNode worker = JSON.readTree(output.out()).at("/services/worker");
            assertEquals(ComposeV2Cases.LIMIT, worker.path("mem_limit").asLong(), worker.toString());
            assertEquals(ComposeV2Cases.LIMIT, worker.at("/deploy/resources/limits/memory").asLong(), worker.toString());
        }
    }

    private static Lab.Result config(String name, String text) {
        assertTrue(!text.contains("HEADROOM_EOF"));
        return VM.sh(60, "cd " + DIR + " && cat > " + name + " <<'HEADROOM_EOF'\n" + text + (text.endsWith("\n") ? "" : "\n")
                + "HEADROOM_EOF\ndocker compose -p hr-rules -f " + name + " config --format json");
    }
}
