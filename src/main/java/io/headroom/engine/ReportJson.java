package io.headroom.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.model.CgroupMemory;
import io.headroom.model.ContainerFacts;
import io.headroom.model.ContainerReport;
import io.headroom.model.DaskWorker;
import io.headroom.model.Finding;
import io.headroom.model.HostFacts;
import io.headroom.model.HostReport;
import io.headroom.model.OomEvent;
import io.headroom.model.ScanReport;

/**
 * The JSON document of a scan ({@code scan --json}, snapshots). Field names are a public contract:
 * add freely, never rename. All sizes in bytes; null means unlimited or unknown as documented.
 */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static String write(ScanReport report) {
        try {
            return MAPPER.writeValueAsString(toNode(report));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode toNode(ScanReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", "headroom");
        root.put("headroomVersion", report.headroomVersion());
        root.put("startedEpochMillis", report.startedEpochMillis());
        ArrayNode hosts = root.putArray("hosts");
        report.hosts().forEach(h -> hosts.add(host(h)));
        return root;
    }

    static ObjectNode host(HostReport h) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("target", h.target());
        n.put("scanned", h.scanned());
        n.put("status", h.status());
        n.put("complete", h.complete());
        HostFacts f = h.facts();
        n.put("hostname", f == null ? null : f.hostname());
        n.put("kernelRelease", f == null ? null : f.kernelRelease());
        n.put("cgroupMode", f == null ? null : f.cgroupMode().name().toLowerCase(java.util.Locale.ROOT));
        n.put("cpuCount", f == null ? null : f.cpuCount());
        n.put("memTotalBytes", f == null || f.memInfo() == null ? null : f.memInfo().memTotalBytes());
        n.put("memAvailableBytes", f == null || f.memInfo() == null ? null : f.memInfo().memAvailableBytes());
        n.put("budgetBytes", h.budgetBytes());
        n.put("reserveBytes", h.reserveBytes());
        n.put("dockerAvailable", f != null && f.dockerAvailable());
        n.put("availableMemoryForDask", f == null ? null : f.environmentValue());
        n.put("scanMillis", h.scanMillis());
        ArrayNode containers = n.putArray("containers");
        h.daskContainers().forEach(c -> containers.add(container(c)));
        ArrayNode others = n.putArray("otherContainers");
        if (f != null) {
            for (ContainerFacts c : f.containers()) {
                if (h.daskContainers().stream().noneMatch(d -> d.facts().id().equals(c.id()))) {
                    ObjectNode o = others.addObject();
                    o.put("id", c.id());
                    o.put("name", c.name());
                    o.put("image", c.image());
                }
            }
        }
        ArrayNode findings = n.putArray("findings");
        h.findings().forEach(x -> findings.add(finding(x)));
        ArrayNode errors = n.putArray("errors");
        h.errors().forEach(errors::add);
        ArrayNode ooms = n.putArray("oomEvents");
        if (f != null) {
            for (OomEvent e : f.oomEvents()) {
                ObjectNode o = ooms.addObject();
                o.put("line", e.line());
                o.put("pid", e.pid());
                o.put("process", e.processName());
                o.put("memcg", e.memcg());
                o.put("containerId", e.containerId());
            }
        }
        ObjectNode env = n.putObject("dotEnv");
        if (f != null) {
            f.dotEnvValues().forEach(env::put);
        }
        return n;
    }

    static ObjectNode container(ContainerReport c) {
        ContainerFacts f = c.facts();
        CgroupMemory cg = f.cgroup();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("name", f.name());
        n.put("image", f.image());
        n.put("composeProject", f.composeProject());
        n.put("composeService", f.composeService());
        n.put("composeWorkingDir", f.composeWorkingDir());
        ArrayNode files = n.putArray("composeFiles");
        f.composeFiles().forEach(files::add);
        n.put("cgroupLimitBytes", c.cgroupLimitBytes());
        n.put("cgroupVersion", cg == null ? null : cg.version());
        n.put("cgroupDirectory", cg == null ? null : cg.directory());
        n.put("softLimitBytes", cg == null ? null : cg.softLimitBytes());
        n.put("memoryHighBytes", cg == null ? null : cg.highBytes());
        n.put("memoryLowBytes", cg == null ? null : cg.lowBytes());
        n.put("engineMemoryBytes", f.memoryLimitBytes());
        n.put("engineReservationBytes", f.memoryReservationBytes());
        n.put("usageBytes", cg == null ? null : cg.usageBytes());
        n.put("workingSetBytes", cg == null ? null : cg.workingSetBytes());
        n.put("peakBytes", cg == null ? null : cg.peakBytes());
        n.put("oomKills", cg == null ? null : cg.oomKills());
        n.put("oomKilled", f.oomKilledFlag());
        n.put("restartCount", f.restartCount());
        ArrayNode deaths = n.putArray("workerDeaths");
        f.workerDeaths().forEach(deaths::add);
        ArrayNode workers = n.putArray("daskWorkers");
        c.workers().forEach(w -> workers.add(worker(w)));
        return n;
    }

    static ObjectNode worker(DaskWorker w) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("pid", w.pid());
        n.put("launcherPid", w.launcherPid());
        n.put("memoryLimitBytes", w.memoryLimitBytes());
        n.put("memoryLimitSpec", w.memoryLimitSpec());
        n.put("systemLimitBytes", w.systemLimitBytes());
        n.put("systemLimitSource", w.systemLimitSource());
        n.put("nthreads", w.nthreads());
        n.put("nworkers", w.nworkers());
        n.put("cpuCount", w.cpuCount());
        n.put("daskVersion", w.daskVersion());
        n.put("reportedLimitBytes", w.reportedLimitBytes());
        ObjectNode t = n.putObject("thresholds");
        t.put("target", w.thresholds().target());
        t.put("spill", w.thresholds().spill());
        t.put("pause", w.thresholds().pause());
        t.put("terminate", w.thresholds().terminate());
        n.put("spillBytes", w.spillBytes());
        n.put("pauseBytes", w.pauseBytes());
        n.put("terminateBytes", w.terminateBytes());
        n.put("nanny", !w.noNanny());
        n.put("memoryLimitExact", w.memoryLimitExact() == null ? null : w.memoryLimitExact().toString());
        n.put("nannyLimitExact", w.nannyLimitExact() == null ? null : w.nannyLimitExact().toString());
        ArrayNode argv = n.putArray("argv");
        w.argv().forEach(argv::add);
        ArrayNode d = n.putArray("derivation");
        w.derivation().forEach(d::add);
        return n;
    }

    static ObjectNode finding(Finding x) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("code", x.code().name());
        n.put("severity", x.severity().label());
        n.put("message", x.message());
        n.put("container", x.container());
        n.put("recommendedLimitBytes", x.recommendedLimitBytes());
        return n;
    }
}
