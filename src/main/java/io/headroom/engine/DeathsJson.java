package io.headroom.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.model.BootUnitRun;
import io.headroom.model.DaskLogEvent;
import io.headroom.model.DeathCause;
import io.headroom.model.DeathReport;
import io.headroom.model.DeathTimeline;
import io.headroom.model.WorkerDeath;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The deaths as JSON (issue 20): what {@code headroom deaths --json} prints and what a {@code .headroom.json}
 * snapshot carries under {@code "deaths"}, in one format, read back by {@link #fromNode}. Times are RFC 3339
 * strings, sizes bytes. {@code {"since": T, "fetchedAt": T, "hosts": [{"host", "deaths": [...], "poisonTasks",
 * "warnings", "problems", "bootUnits"}]}}.
 */
public final class DeathsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeathsJson() {
    }

    public static ObjectNode toNode(DeathReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("since", str(report.since()));
        root.put("fetchedAt", str(report.fetchedAt()));
        ArrayNode hosts = root.putArray("hosts");
        for (DeathTimeline t : report.timelines()) {
            ObjectNode h = hosts.addObject();
            h.put("host", t.host());
            ArrayNode deaths = h.putArray("deaths");
            t.deaths().forEach(d -> deaths.add(death(d)));
            ArrayNode poison = h.putArray("poisonTasks");
            for (DeathTimeline.PoisonTask p : t.poison()) {
                ObjectNode m = poison.addObject();
                m.put("key", p.key());
                m.put("allowedFailures", p.allowedFailures());
                m.put("line", p.line());
                ArrayNode pd = m.putArray("deaths");
                p.deaths().forEach(d -> pd.add(death(d)));
            }
            ArrayNode warnings = h.putArray("warnings");
            for (DaskLogEvent w : t.warnings()) {
                ObjectNode m = warnings.addObject();
                m.put("time", str(w.time()));
                m.put("kind", w.kind().name());
                m.put("containerId", w.containerId());
                m.put("pid", w.pid());
                m.put("number", w.number());
                m.put("workerAddress", w.workerAddress());
                m.put("line", w.line());
            }
            ArrayNode problems = h.putArray("problems");
            t.problems().forEach(problems::add);
            ArrayNode units = h.putArray("bootUnits");
            for (BootUnitRun u : t.bootUnits()) {
                ObjectNode m = units.addObject();
                m.put("unit", u.unit());
                m.put("summary", u.summary());
                m.put("loadState", u.loadState());
                m.put("activeState", u.activeState());
                m.put("result", u.result());
                m.put("exitStatus", u.exitStatus());
                m.put("startedAt", str(u.startedAt()));
                m.put("valueBytes", u.valueBytes());
                m.put("envFile", u.envFile());
                ArrayNode lines = m.putArray("lines");
                u.lines().forEach(lines::add);
            }
        }
        return root;
    }

    private static ObjectNode death(WorkerDeath d) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("time", str(d.time()));
        m.put("cause", d.cause().name());
        m.put("uncertain", d.uncertain());
        m.put("containerId", d.containerId());
        m.put("container", d.container());
        m.put("service", d.service());
        m.put("workerAddress", d.workerAddress());
        m.put("hostPid", d.hostPid());
        m.put("workerPid", d.workerPid());
        m.put("limitBytes", d.limitBytes());
        m.put("budgetBytes", d.budgetBytes());
        m.put("fix", d.fix());
        ArrayNode ev = m.putArray("evidence");
        d.evidence().forEach(ev::add);
        return m;
    }

    /** The deaths {@link #toNode} wrote; an unknown cause or kind, or a bad time, is an IOException. */
    public static DeathReport fromNode(JsonNode root) throws IOException {
        try {
            List<DeathTimeline> timelines = new ArrayList<>();
            for (JsonNode h : root.path("hosts")) {
                List<WorkerDeath> deaths = new ArrayList<>();
                for (JsonNode d : h.path("deaths")) {
                    deaths.add(death(d));
                }
                List<DeathTimeline.PoisonTask> poison = new ArrayList<>();
                for (JsonNode p : h.path("poisonTasks")) {
                    List<WorkerDeath> pd = new ArrayList<>();
                    for (JsonNode d : p.path("deaths")) {
                        pd.add(death(d));
                    }
                    poison.add(new DeathTimeline.PoisonTask(text(p, "key"), integer(p, "allowedFailures"), text(p, "line"), pd));
                }
                List<DaskLogEvent> warnings = new ArrayList<>();
                for (JsonNode w : h.path("warnings")) {
                    warnings.add(new DaskLogEvent(time(w, "time"), DaskLogEvent.Kind.valueOf(w.path("kind").asText()),
                            text(w, "containerId"), integer(w, "pid"), integer(w, "number"), text(w, "workerAddress"), null,
                            text(w, "line")));
                }
                List<BootUnitRun> units = new ArrayList<>();
                for (JsonNode u : h.path("bootUnits")) {
                    units.add(new BootUnitRun(text(u, "unit"), text(u, "loadState"), text(u, "activeState"), text(u, "result"),
                            integer(u, "exitStatus"), time(u, "startedAt"), u.path("valueBytes").isNumber()
                            ? u.get("valueBytes").asLong() : null, text(u, "envFile"), strings(u.path("lines"))));
                }
                timelines.add(new DeathTimeline(h.path("host").asText(), deaths, warnings, poison, strings(h.path("problems")), units));
            }
            return new DeathReport(time(root, "since"), time(root, "fetchedAt"), timelines);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("the deaths part is damaged: " + e.getMessage(), e);
        }
    }

    private static WorkerDeath death(JsonNode d) {
        return new WorkerDeath(time(d, "time"), DeathCause.valueOf(d.path("cause").asText()), text(d, "uncertain"),
                text(d, "containerId"), text(d, "container"), text(d, "service"), text(d, "workerAddress"), integer(d, "hostPid"),
                integer(d, "workerPid"), d.path("limitBytes").isNumber() ? d.get("limitBytes").asLong() : null,
                d.path("budgetBytes").isNumber() ? d.get("budgetBytes").asLong() : null, text(d, "fix"), strings(d.path("evidence")));
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.canConvertToInt() ? null : v.asInt();
    }

    private static Instant time(JsonNode n, String field) {
        String s = text(n, field);
        return s == null ? null : Instant.parse(s);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
