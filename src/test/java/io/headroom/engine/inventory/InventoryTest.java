package io.headroom.engine.inventory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InventoryTest {
    @TempDir
    Path dir;

    @Test
    void readsAHandWrittenFile() throws Exception {
        Path f = dir.resolve("clusters.yaml");
        Files.writeString(f, """
                # production, eu-west
                prod:
                  user: ubuntu
                  jump: bastion.example.com
                  sudo: always
                  reserve: 1GiB
                  scheduler: http://10.0.0.5:8787
                  hosts:
                    - vm-1
                    - admin@vm-2:2222
                """);
        Cluster c = Inventory.load(f).get("prod");
        assertEquals(List.of("ubuntu@vm-1", "admin@vm-2:2222"), c.targets());
        assertEquals("bastion.example.com", c.jump());
        assertEquals("always", c.sudo());
        assertEquals("1GiB", c.reserve());
        assertEquals("http://10.0.0.5:8787", c.scheduler());
    }

    @Test
    void addingAppendsAndKeepsTheUsersText() throws Exception {
        Path f = dir.resolve("clusters.yaml");
        String before = "# my comment stays\nprod:\n  hosts: [a, b]   # inline too\n";
        Files.writeString(f, before);
        Inventory inv = Inventory.load(f);
        inv.add(new Cluster("lab", List.of("10.0.0.7", "user@[::1]:2222"), null, null, null, null, "http://s:8787"));
        String after = Files.readString(f);
        assertTrue(after.startsWith(before), after);
        Map<String, Cluster> again = Inventory.load(f).clusters();
        assertEquals(List.of("10.0.0.7", "user@[::1]:2222"), again.get("lab").hosts());
        assertEquals(List.of("a", "b"), again.get("prod").hosts());
        assertThrows(Inventory.InventoryException.class, () -> inv.add(new Cluster("lab", List.of("x"), null, null, null, null, null)));
        assertThrows(Inventory.InventoryException.class, () -> inv.add(new Cluster("bad name", List.of("x"), null, null, null, null, null)));
    }

    @Test
    void aMissingFileIsEmptyAndBadFilesSayWhy() throws Exception {
        assertTrue(Inventory.load(dir.resolve("none.yaml")).clusters().isEmpty());
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "prod:\n  user: x\n");
        var e = assertThrows(Inventory.InventoryException.class, () -> Inventory.load(f));
        assertTrue(e.getMessage().contains("no hosts"), e.getMessage());
        Files.writeString(f, "prod:\n  hosts: [a]\n  sudo: maybe\n");
        e = assertThrows(Inventory.InventoryException.class, () -> Inventory.load(f));
        assertTrue(e.getMessage().contains("sudo must be"), e.getMessage());
        Files.writeString(f, "prod: [\n");
        e = assertThrows(Inventory.InventoryException.class, () -> Inventory.load(f));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        e = assertThrows(Inventory.InventoryException.class, () -> Inventory.load(dir.resolve("none.yaml")).get("x"));
        assertTrue(e.getMessage().contains("no cluster 'x'"), e.getMessage());
    }

    @Test
    void configDirFollowsPlatformConventions() {
        assertEquals(Path.of("/x/cfg/headroom"), ConfigPaths.configDir("Linux", Map.of("XDG_CONFIG_HOME", "/x/cfg"), "/home/u"));
        assertEquals(Path.of("/home/u/.config/headroom"), ConfigPaths.configDir("Linux", Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/.config/headroom"), ConfigPaths.configDir("Linux", Map.of("XDG_CONFIG_HOME", "rel"), "/home/u"));
        assertEquals(Path.of("/Users/u/Library/Application Support/Headroom"), ConfigPaths.configDir("Mac OS X", Map.of(), "/Users/u"));
        assertEquals(Path.of("C:\\Users\\u\\AppData\\Roaming", "Headroom"),
                ConfigPaths.configDir("Windows 11", Map.of("APPDATA", "C:\\Users\\u\\AppData\\Roaming"), "C:\\Users\\u"));
    }

    @Test
    void identityJsonFromTheLab() throws Exception {
        String json = Files.readString(Path.of("src/test/resources/fixtures/captured/podman/dask/identity.json"));
        SchedulerDiscovery.Result r = SchedulerDiscovery.parse("http://127.0.0.1:8787", json);
        assertEquals("tcp://10.89.0.20:8786", r.schedulerAddress());
        SchedulerDiscovery.Worker w = r.workers().stream().filter(x -> x.address().equals("tcp://10.89.0.21:42069")).findFirst().orElseThrow();
        assertEquals("10.89.0.21", w.host());
        assertEquals(1, w.nthreads());
        assertEquals(1073741824L, w.memoryLimitBytes());
        assertTrue(r.hosts().contains("10.89.0.21"));
    }

    @Test
    void zeroMemoryLimitMeansNone() throws Exception {
        SchedulerDiscovery.Result r = SchedulerDiscovery.parse("u",
                "{\"address\":\"tcp://s:8786\",\"workers\":{\"tcp://h:1\":{\"host\":\"h\",\"name\":\"w0\",\"nthreads\":2,\"memory_limit\":0}}}");
        assertNull(r.workers().get(0).memoryLimitBytes());
        assertThrows(java.io.IOException.class, () -> SchedulerDiscovery.parse("u", "{\"x\":1}"));
        assertThrows(java.io.IOException.class, () -> SchedulerDiscovery.parse("u", "not json"));
    }

    @Test
    void removingCutsOnlyThatBlock() throws Exception {
        Path f = dir.resolve("clusters.yaml");
        String text = "# head\na:\n  hosts: [x]\n# about b\nb:\n  hosts:\n    - y\nc:\n  hosts: [z]\n";
        Files.writeString(f, text);
        Inventory inv = Inventory.load(f);
        inv.remove("b");
        assertEquals("# head\na:\n  hosts: [x]\n# about b\nc:\n  hosts: [z]\n", Files.readString(f));
        assertEquals(java.util.Set.of("a", "c"), Inventory.load(f).clusters().keySet());
        assertThrows(Inventory.InventoryException.class, () -> inv.remove("b"));
    }
}
