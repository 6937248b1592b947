package io.headroom.compose;

import io.headroom.compose.ComposeDoc.Found;
import io.headroom.compose.YamlTree.MapNode;
import io.headroom.compose.YamlTree.Node;
import io.headroom.compose.YamlTree.ScalarNode;

import java.util.List;

/**
 * What is checked before any edit, for each targeted service: the project as it is must be one Compose v2
 * accepts (else an edit would hide why it cannot start), and the new limit must be one docker can apply
 * ({@code memswap_limit} not below it).
 */
final class ProjectChecks {
    private final ComposeProject project;
    private final List<ComposeDoc> docs;
    private final MemoryValue memory;
    private final TextEdits text;
    private final List<String> notes;

    ProjectChecks(ComposeProject project, MemoryValue memory, TextEdits text) {
        this.project = project;
        this.docs = project.docs;
        this.memory = memory;
        this.text = text;
        this.notes = text.notes;
    }

    /**
     * Compose v2 (compose-go) refuses a service whose {@code key} ({@code mem_limit} /
     * {@code mem_reservation}) and {@code deploy.resources.limits|reservations.memory} differ in bytes; a
     * {@code limits} / {@code reservations} mapping without {@code memory} counts as 0, i.e. as different:
     * "can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory': invalid compose
     * project" (docker compose 2.26.1 on the lab's v2 VM, ComposeV2RulesV2IT). Such an input is refused
     * here with both places: an edit would hide that {@code docker compose} cannot start the file. Values
     * with {@code ${…}} are compared only by compose itself (the push validates with the VM's own
     * {@code docker compose config}).
     */
    void requireComposeV2Accepts(String t, String key, List<String> blockPath) {
        ComposeProject.Located keyAt = project.winning(t, List.of(key));
        ComposeProject.Located blockAt = project.winning(t, blockPath);
        ComposeDoc keyDoc = keyAt == null ? null : keyAt.doc();
        Found keyFound = keyAt == null ? null : keyAt.leaf();
        ComposeDoc blockDoc = blockAt == null ? null : blockAt.doc();
        Found blockFound = blockAt == null ? null : blockAt.leaf();
        if (keyFound == null || blockFound == null
                || !(YamlTree.resolve(keyFound.entry().value()) instanceof ScalarNode keyValue)
                || !(YamlTree.resolve(blockFound.entry().value()) instanceof MapNode block)) {
            return;
        }
        Found memory = ComposeDoc.lookup(block, "memory");
        String memoryText = memory != null && YamlTree.resolve(memory.entry().value()) instanceof ScalarNode m ? m.value : null;
        if (memory != null && memoryText == null || keyValue.value.contains("$") || memoryText != null && memoryText.contains("$")) {
            return;
        }
        Long a = ComposeEditor.dockerBytes(keyValue.value);
        Long b = memoryText == null ? Long.valueOf(0) : ComposeEditor.dockerBytes(memoryText);
        if (a == null || b == null || a.equals(b)) {
            return;
        }
        String blockName = String.join(".", blockPath);
        String other = memoryText == null
                ? blockName + " at line " + blockDoc.tree.humanLine(blockFound.entry().key()) + " has no memory, which counts as 0"
                : blockName + ".memory is " + memoryText + " (line " + blockDoc.tree.humanLine(memory.entry().key())
                        + (blockDoc != keyDoc ? " of " + blockDoc.path : "") + ")";
        throw new RefusedException("docker compose (Compose v2) refuses '" + t + "' as it is: " + key + " is " + keyValue.value
                + " but " + other + " (\"can't set distinct values on '" + key + "' and '" + blockName + ".memory'\")."
                + " docker-compose 1.29 ignored deploy outside swarm; make the two equal, or remove one, then fix again",
                keyDoc.path, keyDoc.tree.humanLine(keyFound.entry().key()));
    }

    // -------------------------------------------------------------- other checks

    void checkOthers(String t) {
        ComposeProject.Located swapAt = project.winning(t, List.of("memswap_limit"));
        Found swap = swapAt == null ? null : swapAt.leaf();
        ComposeDoc swapDoc = swapAt == null ? null : swapAt.doc();
        if (swap == null) {
            for (ComposeProject.Base b : project.extendsChain(t)) {
                Found f = ComposeDoc.lookup(b.map(), "memswap_limit");
                if (f != null && swap == null) {
                    swap = f;
                    swapDoc = b.doc();
                }
            }
        }
        if (swap != null) {
            Node v = YamlTree.resolve(swap.entry().value());
            String s = v instanceof ScalarNode sc ? sc.value : "";
            Long swapBytes = ComposeEditor.dockerBytes(s);
            boolean unlimited = s.strip().equals("-1") || s.strip().equals("0");
            String mode = memory instanceof MemoryValue.EnvReference ? " (the value env mode writes to .env)" : "";
            if (!unlimited && swapBytes != null && memory.bytes() == 0) {
                throw new RefusedException("memswap_limit of '" + t + "' (" + s + ") must stay at or above the new limit, which is"
                        + " not known here (env mode without the value for .env); give the value, or remove memswap_limit",
                        swapDoc.path, swapDoc.tree.humanLine(swap.entry().key()));
            }
            if (!unlimited && swapBytes != null && swapBytes < memory.bytes()) {
                throw new RefusedException("memswap_limit of '" + t + "' (" + s + ") is below the new limit (" + memory.bytes()
                        + " bytes" + mode + "); docker would refuse to create the container. Raise memswap_limit to at least"
                        + " that, or remove it, then fix again", swapDoc.path, swapDoc.tree.humanLine(swap.entry().key()));
            }
            if (!unlimited) {
                notes.add(t + ": memswap_limit is set (" + s + "); it must stay at or above the memory limit" + text.where(swapDoc));
            }
        }
    }

    /**
     * env mode writes {@code AVAILABLE_MEMORY_FOR_DASK} into the project's {@code .env}; a service whose
     * {@code env_file} is that same file would gain the variable in its environment. Refused, with the line.
     */
    void requireEnvFilesApart(String dotEnvPath) {
        for (ComposeDoc d : docs) {
            for (String name : d.services.keySet()) {
                Node svc = YamlTree.resolve(d.services.get(name).value());
                Found f = svc instanceof MapNode sm ? ComposeDoc.lookup(sm, "env_file") : null;
                if (f == null) {
                    continue;
                }
                Node v = YamlTree.resolve(f.entry().value());
                List<Node> items = v instanceof YamlTree.SeqNode q ? q.items : List.of(v);
                for (Node item : items) {
                    Node it = YamlTree.resolve(item);
                    if (it instanceof MapNode m && ComposeDoc.lookup(m, "path") != null) {
                        it = YamlTree.resolve(ComposeDoc.lookup(m, "path").entry().value());
                    }
                    if (it instanceof ScalarNode sc && !sc.value.contains("$")
                            && ComposeProject.resolve(d.path, sc.value).equals(ComposeProject.resolve(dotEnvPath, ".env"))) {
                        throw new RefusedException("service '" + name + "' reads the project's .env as its env_file, so env mode"
                                + " (which writes AVAILABLE_MEMORY_FOR_DASK to that .env) would add the variable to its"
                                + " environment. Use literal mode, or give '" + name + "' an env file of its own, then fix again",
                                d.path, d.tree.humanLine(item));
                    }
                }
            }
        }
    }
}
