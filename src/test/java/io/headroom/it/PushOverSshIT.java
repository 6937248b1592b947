package io.headroom.it;

import io.headroom.engine.TransportRunners;
import io.headroom.engine.fix.AuditLog;
import io.headroom.engine.fix.FixPlan;
import io.headroom.engine.fix.PlanFixtures;
import io.headroom.engine.fix.Pusher;
import io.headroom.engine.fix.TransportVmAccess;
import io.headroom.engine.fix.VmFiles;
import io.headroom.ssh.OpenSshServer;
import io.headroom.ssh.Prompter;
import io.headroom.ssh.SshProbeRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push protocol over SFTP to a real OpenSSH sshd on loopback: push, backup, atomic rename,
 * rollback, stale-hash refusal, a full disk on the VM, and the connection cut at random points.
 * The "VM" is this machine, so the test checks the result directly in the file system.
 */
@Needs({Need.SSHD})
class PushOverSshIT {
    private static final long BYTES = 3L * 1024 * 1024 * 1024;
    private static OpenSshServer server;
    private static CuttingProxy proxy;
    private static Path work;
    private static Path sshConfig;

    @BeforeAll
    static void start() throws Exception {
        server = OpenSshServer.start();
        proxy = new CuttingProxy(server.port);
        work = Files.createTempDirectory("headroom-push-it");
        Path knownHosts = work.resolve("known_hosts");
        String[] pub = Files.readString(Path.of(server.hostKey + ".pub")).strip().split(" ");
        Files.writeString(knownHosts, "push-vm " + pub[0] + " " + pub[1] + "\n");
        sshConfig = work.resolve("ssh_config");
        String common = "  HostName 127.0.0.1\n  User root\n  HostKeyAlias push-vm\n  IdentityFile " + server.clientKey
                + "\n  UserKnownHostsFile " + knownHosts + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n  ConnectTimeout 5\n";
        Files.writeString(sshConfig, "Host vm\n  Port " + server.port + "\n" + common + "Host cut\n  Port " + proxy.port() + "\n" + common);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static TransportRunners runners() {
        return new TransportRunners(Prompter.NON_INTERACTIVE,
                new TransportRunners.Options(sshConfig, Duration.ofSeconds(5), SshProbeRunner.SudoMode.NEVER));
    }

    private static Path project(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @Test
    void pushKeepsABackupRenamesAtomicallyAndRollsBack() throws Exception {
        Path dir = project("push");
        FixPlan plan = PlanFixtures.project(dir, "vm", BYTES, true);
        AuditLog audit = new AuditLog(work.resolve("push-audit.jsonl"));
        Path compose = dir.resolve("docker-compose.yml");
        try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("vm")) {
            assertEquals("root", vm.user());
            List<Pusher.Step> steps = new Pusher(vm, audit, "vm", false).apply(plan);
            assertEquals(2, steps.size());
            assertEquals(plan.edits().get(0).after(), Files.readString(compose));
            assertEquals("AVAILABLE_MEMORY_FOR_DASK=" + BYTES + "\n", Files.readString(dir.resolve(".env")));
            assertEquals(PlanFixtures.COMPOSE, Files.readString(Path.of(steps.get(1).backup())));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(compose)), "mode kept over SFTP");
            assertEquals(List.of(), PlanFixtures.temporaries(dir));

            List<Pusher.Step> back = new Pusher(vm, audit, "vm", false).rollback(List.of(compose.toString(), dir + "/.env"));
            assertEquals(2, back.size());
            assertEquals(PlanFixtures.COMPOSE, Files.readString(compose));
            assertEquals("", Files.readString(dir.resolve(".env")), "the .env is back to having no entry");
            assertEquals(List.of("apply", "apply", "rollback", "rollback"), audit.entries().stream().map(AuditLog.Entry::action).toList());
        }
    }

    /** Secrets stay on the VM (decision 0019): the plan made on masked text is applied to the real file over SFTP. */
    @Test
    void aMaskedScanIsFixedOnTheRealFile() throws Exception {
        Path dir = project("masked");
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, PlanFixtures.COMPOSE_WITH_SECRETS);
        FixPlan plan = PlanFixtures.plan(dir, "vm", BYTES, false, PlanFixtures::masked);
        try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("vm")) {
            new Pusher(vm, new AuditLog(work.resolve("masked-audit.jsonl")), "vm", false).apply(plan);
        }
        String now = Files.readString(compose);
        assertTrue(now.contains("mem_limit: " + BYTES) && now.contains("hunter2-env") && now.contains("hunter2-url")
                && now.contains("hunter2-flow"), now);
        assertEquals(PlanFixtures.masked(now), plan.edits().get(0).after());
    }

    /**
     * Two Headroom instances (two SSH connections) push different limits to one file at once (decision
     * 0020): one wins, the other is refused with the reason; the file is one complete version, one backup.
     */
    @Test
    void twoConcurrentPushesOneWinsTheOtherIsRefused() throws Exception {
        Path dir = project("race");
        FixPlan small = PlanFixtures.project(dir, "vm", BYTES, false);
        FixPlan large = PlanFixtures.plan(dir, "vm", 2 * BYTES, false);
        AuditLog audit = new AuditLog(work.resolve("race-audit.jsonl"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(2);
        List<String> refusals = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        int won = 0;
        try {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (FixPlan p : List.of(small, large)) {
                runs.add(pool.submit(() -> {
                    try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("vm")) {
                        connected.countDown();
                        connected.await();
                        new Pusher(vm, audit, "vm", false).apply(p);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : runs) {
                try {
                    f.get(180, java.util.concurrent.TimeUnit.SECONDS);
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    refusals.add(e.getCause().getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, won, refusals.toString());
        assertEquals(1, refusals.size());
        assertTrue(refusals.get(0).contains("since the scan") || refusals.get(0).contains("another push holds the lock"),
                refusals.get(0));
        String now = Files.readString(dir.resolve("docker-compose.yml"));
        assertTrue(now.equals(small.edits().get(0).after()) || now.equals(large.edits().get(0).after()), now);
        assertEquals(1, PlanFixtures.backups(dir).size());
        assertEquals(PlanFixtures.COMPOSE, Files.readString(PlanFixtures.backups(dir).get(0)));
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
        System.err.println("PushOverSshIT race: the second push was refused: " + refusals.get(0));
    }

    @Test
    void aFileChangedOnTheVmSinceTheScanIsRefused() throws Exception {
        Path dir = project("stale");
        FixPlan plan = PlanFixtures.project(dir, "vm", BYTES, false);
        Path compose = dir.resolve("docker-compose.yml");
        String edited = PlanFixtures.COMPOSE.replace("# Dask on one VM", "# Dask on one VM, edited after the scan");
        Files.writeString(compose, edited);
        try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("vm")) {
            IOException e = assertThrows(IOException.class,
                    () -> new Pusher(vm, new AuditLog(work.resolve("stale-audit.jsonl")), "vm", false).apply(plan));
            assertTrue(e.getMessage().contains("since the scan"), e.getMessage());
        }
        assertEquals(edited, Files.readString(compose));
        assertEquals(List.of(), PlanFixtures.backups(dir));
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
    }

    @Test
    void aFullDiskOnTheVmLeavesTheOldFileAndSaysSo() throws Exception {
        Path dir = project("full");
        mount("tmpfs", "-o", "size=64k", "tmpfs", dir.toString());
        try {
            FixPlan plan = PlanFixtures.project(dir, "vm", BYTES, false);
            FileStore store = Files.getFileStore(dir);
            Files.write(dir.resolve("filler"), new byte[(int) store.getUsableSpace()]);
            assertTrue(store.getUsableSpace() < 4096, "the file system is full");
            try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("vm")) {
                IOException e = assertThrows(IOException.class,
                        () -> new Pusher(vm, new AuditLog(work.resolve("full-audit.jsonl")), "vm", false).apply(plan));
                assertTrue(e.getMessage().contains("disk full"), e.getMessage());
            }
            assertEquals(PlanFixtures.COMPOSE, Files.readString(dir.resolve("docker-compose.yml")));
            assertEquals(List.of(), PlanFixtures.temporaries(dir), "the partial temporary file was removed");
            assertEquals(List.of(), PlanFixtures.backups(dir));
        } finally {
            mount("umount", dir.toString());
        }
    }

    private static void mount(String kind, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        if (kind.equals("umount")) {
            cmd.add("umount");
        } else {
            cmd.addAll(List.of("mount", "-t", kind));
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    /**
     * The connection is cut at ≥ 100 random points of a push (uniform over the bytes the push
     * exchanges after the handshake, plus some during it). After each cut the compose file is byte
     * for byte the old or the new one, and whenever the new one is in place a complete backup of the
     * old one exists.
     */
    @Test
    void aConnectionCutAnywhereLeavesTheOldOrTheNewFileNeverAPart() throws Exception {
        Path dir = project("cut");
        FixPlan plan = PlanFixtures.project(dir, "cut", BYTES, false);
        Path compose = dir.resolve("docker-compose.yml");
        String newText = plan.edits().get(0).after();
        AuditLog audit = new AuditLog(work.resolve("cut-audit.jsonl"));

        // one uncut push through the proxy: how many bytes the handshake and the push take
        long handshake;
        long total;
        proxy.arm(Long.MAX_VALUE);
        try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("cut")) {
            handshake = proxy.passed();
            new Pusher(vm, audit, "cut", false).apply(plan);
            total = proxy.passed();
        }
        assertEquals(newText, Files.readString(compose));
        assertTrue(total > handshake, handshake + " / " + total);

        Random random = new Random(20261127L);
        int cuts = 0;
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        int leftovers = 0;
        for (int i = 0; i < 110; i++) {
            reset(dir);
            long at = i < 10 ? 1 + (long) (random.nextDouble() * handshake) : handshake + (long) (random.nextDouble() * (total - handshake));
            proxy.arm(at);
            String result;
            try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("cut")) {
                new Pusher(vm, audit, "cut", false).apply(plan);
                result = "completed";
            } catch (IOException | RuntimeException e) {
                result = "failed";
            }
            cuts++;
            Thread.sleep(100); // let sshd's sftp-server finish what it had already received
            String now = Files.readString(compose);
            boolean isOld = now.equals(PlanFixtures.COMPOSE);
            boolean isNew = now.equals(newText);
            assertTrue(isOld || isNew, "cut " + i + " at byte " + at + ": the file is neither old nor new:\n" + now);
            List<Path> backups = PlanFixtures.backups(dir);
            for (Path b : backups) {
                assertEquals(PlanFixtures.COMPOSE, Files.readString(b), "cut " + i + " at " + at + ": partial backup " + b);
            }
            if (isNew) {
                assertFalse(backups.isEmpty(), "cut " + i + " at " + at + ": new file in place without a backup");
            }
            leftovers += PlanFixtures.temporaries(dir).size();
            outcomes.merge(result + (isNew ? "/new" : "/old"), 1, Integer::sum);
        }
        assertTrue(cuts >= 100);
        // the next uncut push clears what interrupted ones left behind
        proxy.arm(Long.MAX_VALUE);
        reset(dir);
        Files.writeString(dir.resolve(".docker-compose.yml.headroom-0123456789ab.tmp"), "partial");
        try (TransportRunners r = runners(); VmFiles vm = new TransportVmAccess(r).open("cut")) {
            new Pusher(vm, audit, "cut", false).apply(plan);
        }
        assertEquals(newText, Files.readString(compose));
        assertEquals(List.of(), PlanFixtures.temporaries(dir));
        System.err.println("PushOverSshIT cuts: " + cuts + " (handshake " + handshake + " bytes, push " + (total - handshake)
                + " bytes) outcomes " + outcomes + ", temporary files left behind " + leftovers);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("/old")) && outcomes.keySet().stream().anyMatch(k -> k.endsWith("/new")),
                "cuts landed both before and after the rename: " + outcomes);
    }

    private static void reset(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, PlanFixtures.COMPOSE, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(compose, PosixFilePermissions.fromString("rw-r-----"));
    }
}
