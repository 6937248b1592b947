package io.headroom.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.headroom.model.DeathReport;
import io.headroom.model.HostReport;
import io.headroom.model.ScanReport;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts a scan report for sharing: every hostname, IP address and SSH user becomes a stable pseudonym,
 * consistently in every field and every snapshot part — targets, the VM's hostname, kernel log lines, compose
 * file contents and paths, command lines, Dask addresses, error messages and map keys (file paths).
 *
 * <ul>
 *   <li>Hosts ({@code user@host:port} targets, ssh aliases and the hostnames the VMs report, with their short
 *       names) become {@code host-1}, {@code host-2} … in the order of the report's hosts; matched as whole
 *       names, case-insensitively (a hostname inside a path such as {@code /srv/node7/compose.yml} is replaced,
 *       {@code node70} is not).</li>
 *   <li>IPv4 and IPv6 addresses anywhere in text become {@code ip-1}, {@code ip-2} … (the same address is the
 *       same pseudonym everywhere). Loopback and unspecified addresses ({@code 127.0.0.1}, {@code 0.0.0.0},
 *       {@code ::1}, {@code ::}) identify nothing and stay.</li>
 *   <li>SSH users named in targets become {@code user-1} …; {@code root} stays (it identifies nothing).</li>
 * </ul>
 *
 * Numbers, container ids, images and findings are kept, so a redacted report still explains the memory problem.
 * A compose file's {@code sha256} is the digest of the original file (it no longer matches the redacted text).
 * Redaction is best effort for names Headroom knows of: a hostname that appears only inside a container
 * environment value and was never a target or a VM's hostname is not recognised (addresses always are).
 *
 * <p>Use {@link #redact(ScanReport)} before {@link Snapshots#write} or {@link ReportJson#write}; the CLI offers it as
 * {@code headroom scan --redact}.
 */
public final class Redactor {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9]|\\.[0-9])");
    private static final Pattern IPV6 = Pattern.compile(
            "(?i)(?<![0-9a-z:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|(?:[0-9]{1,3}\\.){3}[0-9]{1,3})?(?![0-9a-z:])");
    static final Pattern ADDRESS = Pattern.compile(IPV6.pattern() + "|" + IPV4.pattern());
    private static final Pattern ENUM_CONSTANT = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Set<String> KEEP = Set.of("127.0.0.1", "0.0.0.0", "::1", "::", "localhost", "root");
    /** JSON property names of the model: never renamed (a map key such as a file path is). */
    private static final Set<String> PROPERTY_NAMES = propertyNames(ScanReport.class, new HashSet<>(), new HashSet<>());

    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private Pattern namePattern;
    private String[] nameKeys = new String[0];
    private boolean[] asciiName = new boolean[0];
    private int hosts;
    private int users;
    /** Whether {@link #walk} redacts object keys that are not the model's property names (a scan's file-path keys). */
    private boolean renameKeys = true;

    private Redactor() {
    }

    /** A copy of {@code report} with hostnames, IP addresses and users replaced by pseudonyms (see the class comment). */
    public static ScanReport redact(ScanReport report) {
        return redact(report, null).scan();
    }

    /**
     * A scan and the deaths of the same VMs ({@code headroom deaths --redact}), redacted together: a name or address
     * has one pseudonym in both, numbered by first appearance in the scan, then in the deaths (their evidence lines,
     * worker addresses, fixes and problems). Either may be null.
     */
    public record Redacted(ScanReport scan, DeathReport deaths) {
    }

    /** See {@link Redacted}. */
    public static Redacted redact(ScanReport report, DeathReport deaths) {
        Redactor r = new Redactor();
        if (report != null) {
            for (HostReport h : report.hosts()) {
                r.learnTarget(h.target());
                if (h.facts() != null) {
                    r.learnHost(h.facts().hostname());
                }
            }
        }
        if (deaths != null) {
            deaths.timelines().forEach(t -> r.learnTarget(t.host()));
        }
        r.compile();
        try {
            ScanReport scan = report == null ? null : MAPPER.treeToValue(r.walk(MAPPER.valueToTree(report)), ScanReport.class);
            // DeathsJson's keys are its own field names, never data: only values are redacted
            r.renameKeys = false;
            DeathReport d = deaths == null ? null : DeathsJson.fromNode(r.walk(DeathsJson.toNode(deaths)));
            return new Redacted(scan, d);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the redacted report no longer reads as a report: " + e.getMessage(), e);
        }
    }

    /** Redacts one text the way {@link #redact(ScanReport)} would, knowing only these targets (for messages and tests). */
    public static String redactText(String text, List<String> targets) {
        Redactor r = new Redactor();
        targets.forEach(r::learnTarget);
        r.compile();
        return r.text(text);
    }

    private void learnTarget(String target) {
        if (target == null || target.isBlank() || target.equals(ScanEngine.LOCAL)) {
            return;
        }
        String t = target.strip();
        int at = t.lastIndexOf('@');
        if (at > 0) {
            String user = t.substring(0, at);
            if (!KEEP.contains(user) && !names.containsKey(key(user))) {
                names.put(key(user), "user-" + ++users);
            }
            t = t.substring(at + 1);
        }
        if (t.startsWith("[") && t.contains("]")) {
            t = t.substring(1, t.indexOf(']'));
        } else if (t.indexOf(':') == t.lastIndexOf(':') && t.contains(":")) {
            t = t.substring(0, t.indexOf(':'));
        }
        learnHost(t);
    }

    private void learnHost(String host) {
        if (host == null || host.isBlank() || KEEP.contains(key(host)) || isAddress(host)) {
            return;
        }
        String pseudonym = names.get(key(host));
        if (pseudonym == null) {
            pseudonym = "host-" + ++hosts;
            names.put(key(host), pseudonym);
        }
        int dot = host.indexOf('.');
        if (dot > 0 && !names.containsKey(key(host.substring(0, dot)))) {
            names.put(key(host.substring(0, dot)), pseudonym);
        }
    }

    private void compile() {
        if (names.isEmpty()) {
            return;
        }
        List<String> longestFirst = new ArrayList<>(names.keySet());
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alt = new StringBuilder();
        for (String n : longestFirst) {
            alt.append(alt.isEmpty() ? "" : "|").append(Pattern.quote(n));
        }
        namePattern = Pattern.compile("(?<![A-Za-z0-9_-])(?:" + alt + ")(?![A-Za-z0-9_-])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        nameKeys = names.keySet().toArray(String[]::new);
        asciiName = new boolean[nameKeys.length];
        for (int k = 0; k < nameKeys.length; k++) {
            asciiName[k] = nameKeys[k].chars().allMatch(c -> c < 0x80);
        }
    }

    /**
     * Redacts the tree in place (it is this redactor's own copy), in document order: keys and values are
     * visited as they come, so pseudonyms are numbered by first appearance. An object whose key changes is
     * rebuilt (keys that become equal keep the first one's place and the last one's value, as {@code set} does).
     */
    private JsonNode walk(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            String[] keys = null;
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); i++) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = !renameKeys || PROPERTY_NAMES.contains(e.getKey()) ? e.getKey() : text(e.getKey());
                if (keys == null && !k.equals(e.getKey())) {
                    keys = new String[obj.size()];
                    int j = 0;
                    for (Iterator<String> names = obj.fieldNames(); j < i; j++) {
                        keys[j] = names.next();
                    }
                }
                if (keys != null) {
                    keys[i] = k;
                }
                e.setValue(walk(e.getValue()));
            }
            if (keys == null) {
                return obj;
            }
            ObjectNode out = MAPPER.createObjectNode();
            i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); i++) {
                out.set(keys[i], it.next().getValue());
            }
            return out;
        }
        if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                arr.set(i, walk(arr.get(i)));
            }
            return arr;
        }
        if (node.isTextual() && !ENUM_CONSTANT.matcher(node.asText()).matches()) {
            String t = node.asText();
            String r = text(t);
            return r.equals(t) ? node : TextNode.valueOf(r);
        }
        return node;
    }

    private String text(String s) {
        if (s.isEmpty()) {
            return s;
        }
        // the regular expressions cost ~100 ns a character; most text holds no address and no name
        String out = replaceAddresses(s);
        if (namePattern != null && mayHoldAName(out)) {
            out = replace(namePattern, out, m -> names.get(key(m)));
        }
        return out;
    }

    /**
     * {@code ADDRESS} replaced in {@code s} as {@link #replace} would, in one pass: a match consists only of
     * ASCII hex digits, {@code :} and {@code .} and holds two colons (IPv6) or three dots (IPv4), so the pattern
     * runs only on the maximal runs of such characters that hold as many; the run is the matcher's region with
     * transparent bounds, so the look-behind and look-ahead see the characters around it as a whole-text search
     * does. Every match of the whole-text search lies in one such run (it starts at a run character and cannot
     * cross a character outside the set), and within a run the search proceeds as it would over the whole text.
     */
    static String replaceAddresses(String s, java.util.function.UnaryOperator<String> f) {
        int n = s.length();
        StringBuilder sb = null;
        Matcher m = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            if (!addressChar(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int colons = 0;
            int dots = 0;
            for (char c; i < n && addressChar(c = s.charAt(i)); i++) {
                if (c == ':') {
                    colons++;
                } else if (c == '.') {
                    dots++;
                }
            }
            if (colons < 2 && dots < 3) {
                continue;
            }
            if (m == null) {
                m = ADDRESS.matcher(s).useTransparentBounds(true).useAnchoringBounds(false);
            }
            m.region(start, i);
            while (m.find()) {
                String r = f.apply(m.group());
                if (r != null && !r.equals(m.group())) {
                    if (sb == null) {
                        sb = new StringBuilder(n + 16);
                    }
                    sb.append(s, copied, m.start()).append(r);
                    copied = m.end();
                }
            }
        }
        return sb == null ? s : sb.append(s, copied, n).toString();
    }

    private String replaceAddresses(String s) {
        return replaceAddresses(s, this::address);
    }

    private static boolean addressChar(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
    }

    /**
     * False only when no name occurs in {@code s}, compared char by char ignoring case as the pattern does
     * ({@link String#regionMatches(boolean, int, String, int, int)}); a position whose char is ASCII and differs
     * from the name's first char in ASCII case is skipped without the call (no other ASCII char folds to it).
     */
    private boolean mayHoldAName(String s) {
        for (int k = 0; k < nameKeys.length; k++) {
            String n = nameKeys[k];
            if (!asciiName[k]) {
                return true; // beyond ASCII: leave every case-folding subtlety to the pattern
            }
            char first = n.charAt(0); // lower case (names are keyed in lower case)
            for (int i = 0, last = s.length() - n.length(); i <= last; i++) {
                char c = s.charAt(i);
                if (c < 0x80 && (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != first) {
                    continue;
                }
                if (s.regionMatches(true, i, n, 0, n.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private String address(String a) {
        if (!isAddress(a) || KEEP.contains(a.toLowerCase(Locale.ROOT))) {
            return a;
        }
        return addresses.computeIfAbsent(a.toLowerCase(Locale.ROOT), k -> "ip-" + (addresses.size() + 1));
    }

    private static String replace(Pattern p, String s, java.util.function.UnaryOperator<String> f) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        do {
            String r = f.apply(m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(r == null ? m.group() : r));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }

    /** A literal IPv4 (four octets 0-255) or IPv6 address (at most eight groups, at most one {@code ::}, at least two
     * non-empty groups). */
    static boolean isAddress(String s) {
        if (IPV4.matcher(s).matches()) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!IPV6.matcher(s).matches()) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon != s.lastIndexOf("::") || s.contains(":::")) {
            return false;
        }
        String tail = s.contains(".") ? s.substring(s.lastIndexOf(':') + 1) : null;
        if (tail != null && !isAddress(tail)) {
            return false;
        }
        String[] parts = s.split(":", -1);
        int groups = parts.length;
        if (java.util.Arrays.stream(parts).filter(g -> !g.isEmpty()).count() < 2) {
            return false; // "0::" in /proc/PID/cgroup lines, "::" alone
        }
        return doubleColon >= 0 ? groups <= 9 : groups == 8 || (tail != null && groups == 7);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static Set<String> propertyNames(Type type, Set<String> out, Set<Type> seen) {
        if (!seen.add(type)) {
            return out;
        }
        if (type instanceof ParameterizedType pt) {
            for (Type arg : pt.getActualTypeArguments()) {
                propertyNames(arg, out, seen);
            }
        } else if (type instanceof Class<?> c && c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                out.add(rc.getName());
                propertyNames(rc.getGenericType(), out, seen);
            }
        }
        return out;
    }
}
