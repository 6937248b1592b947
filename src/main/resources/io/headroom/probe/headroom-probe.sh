# Headroom probe — POSIX sh, read-only. Run as: sh -s -- NONCE [CAP_BYTES] [SUDO]
# Prints a versioned, sectioned text stream. Every section is framed by
#   ==HR:<NONCE>:begin <name> [arg]
#   ==HR:<NONCE>:end <name> status=<ok|unavailable|truncated> [reason]
# The nonce is chosen by the caller, so remote data cannot forge a frame.
# Every section is capped at CAP_BYTES; a missing tool or permission is reported as
# status=unavailable with the reason, never silently skipped.
# Nothing here writes outside a private temporary directory, and no remote value is ever
# evaluated by the shell: container ids and pids are validated, paths are always quoted.

PROBE_VERSION=1
NONCE=${1:-nononce}
CAP=${2:-262144}
SUDO_MODE=${3:-auto}
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH

# mktemp -d makes a new directory only its owner may enter; without mktemp, mkdir -m 700 (not -p: a
# directory that exists, perhaps another user's, is never used)
if ! T=$(mktemp -d 2>/dev/null) || [ -z "$T" ]; then
    T="/tmp/headroom-probe.$$"
    mkdir -m 700 "$T" || { echo "no private temporary directory: mktemp -d failed and so did mkdir $T" >&2; exit 1; }
fi
trap 'rm -rf "$T"' EXIT INT TERM HUP

have() { command -v "$1" >/dev/null 2>&1; }

if have timeout; then TO="timeout 15"; else TO=""; fi

# Cost matters: the probe runs on every refresh of every host (live mode), so the hot paths
# (per container, per process) use shell builtins (read, case, printf) instead of forking
# cat/head/tr/awk/grep; see docs/performance.md ("probe cost").

# emit NAME ARG CMD...  — runs CMD with output capped, framed as a section.
emit() {
    _name=$1; _arg=$2; shift 2
    printf '==HR:%s:begin %s %s\n' "$NONCE" "$_name" "$_arg"
    : >"$T/rc"
    { "$@" 2>"$T/err"; echo $? >"$T/rc"; } | head -c $((CAP + 1)) >"$T/out"
    read -r _rc <"$T/rc" || _rc=1
    [ -n "$_rc" ] || _rc=1
    _size=$(wc -c <"$T/out")
    _size=$((_size + 0))
    if [ "$_size" -gt "$CAP" ]; then
        head -c "$CAP" "$T/out"
        end_truncated
    elif [ "$_rc" = 0 ]; then
        cat "$T/out"
        # guarantee the end marker starts on its own line
        if [ "$_size" -gt 0 ] && [ -n "$(tail -c 1 "$T/out")" ]; then echo; fi
        echo "==HR:$NONCE:end $_name status=ok"
    else
        end_unavailable
    fi
}

# the end marker of a truncated section ($_name), after its first CAP bytes
end_truncated() {
    echo
    echo "==HR:$NONCE:end $_name status=truncated cap=$CAP"
}

# the end marker of a failed section ($_name, status $_rc): stderr's first 400 bytes are the reason
end_unavailable() {
    _reason=$(head -c 400 "$T/err" | tr '\n' ' ')
    [ -n "$_reason" ] || _reason="exit status $_rc"
    printf '==HR:%s:end %s status=unavailable %s\n' "$NONCE" "$_name" "$_reason"
}

unavailable() {
    printf '==HR:%s:begin %s %s\n' "$NONCE" "$1" "$2"
    printf '==HR:%s:end %s status=unavailable %s\n' "$NONCE" "$1" "$3"
}

# emit_small NAME ARG FUNCTION ARGS... — like emit, for this script's own per-container and
# per-process functions: one fork (the command substitution) instead of emit's five. The
# function's output is kept in $_last. Trailing empty lines of the output are dropped.
emit_small() {
    _name=$1; _arg=$2; shift 2
    printf '==HR:%s:begin %s %s\n' "$NONCE" "$_name" "$_arg"
    _last=$("$@" 2>"$T/err")
    emit_last $?
}

# emit_text NAME ARG FUNCTION ARGS... — like emit_small, for a file's text, which must arrive as emit
# sends it: trailing empty lines kept (the compose file's hash covers them). One fork, where emit
# forked five times (docs/performance.md Round 13). FUNCTION caps its own output at CAP + 2 bytes
# (it is held in a variable; see dotenv_lines for why 2). A NUL byte is dropped (the shell's command
# substitution drops it).
emit_text() {
    _name=$1; _arg=$2; shift 2
    printf '==HR:%s:begin %s %s\n' "$NONCE" "$_name" "$_arg"
    _last=$("$@" 2>"$T/err" && echo .)
    _rc=$?
    # ${_last%"<newline>"} that does not match scans every suffix in bash and busybox (quadratic: 4 s
    # for a 1 MiB text); a pattern of one character after a case costs nothing
    [ "$_rc" != 0 ] || _last=${_last%?}
    case $_last in *"
") _last=${_last%?} ;; esac
    emit_last "$_rc"
}

# emit_last RC: the body and end marker of the section $_name whose function printed $_last and
# exited with RC; a body ends with a newline (one is added when the function's output had none)
emit_last() {
    _rc=$1
    if [ "${#_last}" -gt "$CAP" ]; then
        printf '%s' "$_last" | head -c "$CAP"
        end_truncated
    elif [ "$_rc" = 0 ]; then
        [ -z "$_last" ] || printf '%s\n' "$_last"
        echo "==HR:$NONCE:end $_name status=ok"
    else
        end_unavailable
    fi
}

# catsmall FILE — prints a small text file (/proc, cgroup) with builtins, at most 1000 lines.
catsmall() {
    _n=0
    while IFS= read -r _l || [ -n "$_l" ]; do
        printf '%s\n' "$_l"
        _n=$((_n + 1))
        [ "$_n" -lt 1000 ] || break
    done <"$1"
}

readfile() { cat -- "$1"; }

# >>> mask — secrets stay on the VM (docs/security.md "What leaves a VM", decision 0019).
# MASK_AWK reads text line by line (compose files, argv one argument per line, docker inspect
# JSON lines with -v json=1) and replaces values that look like secrets by the marker
# <masked-by-headroom>, keeping the line structure (one output line per input line), so the
# push can re-apply a memory edit to the real file on the VM (engine/fix/MaskedEdit):
#   - the value of a key (YAML "K: v", "K=v", .env, argv "K=v", a "- K=v" list item, a quoted
#     "K": v) whose name contains PASSW, PASS, SECRET, TOKEN, KEY, CREDENTIAL, PWD, AUTH or
#     BEARER, unless it contains MEM (memory keys: mem_limit, --memory-limit, DASK_..._MEMORY__*);
#     block scalars, multi-line quoted and plain values (the more-indented lines after one) and the
#     items and nested values under such a key with an empty value are masked line by line;
#   - the word after a flag so named (--password x, --token=x, "--password", "x", a flag that
#     ends a line masks the next line: argv and YAML block lists), and the credentials after an
#     HTTP auth scheme (Bearer x, Basic x, "Authorization: Bearer x": both words);
#   - the password of user:password@ in URLs, up to the last @ of the authority (p@ss@host).
# ProbeMaskTest runs this block under dash and busybox sh/awk.
MASK_AWK='
function secret(name,   u) {
    u = toupper(name)
    if (u ~ /MEM/) return 0
    return u ~ /PASSW|PASS|SECRET|TOKEN|KEY|CREDENTIAL|PWD|AUTH|BEARER/
}
function scheme(w,   u) { u = toupper(w); return u == "BEARER" || u == "BASIC" || u == "TOKEN" }
function indent(s) { match(s, /^[ \t]*/); return RLENGTH }
function blank(c) { return c == " " || c == "\t" }
function isname(c) { return c != "" && index("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-", c) > 0 }
function closeq(s, i, q,   n, c) {
    n = length(s)
    while (i <= n) {
        c = substr(s, i, 1)
        if (q == "\"" && c == "\\") { i += 2; continue }
        if (c == q) {
            if (q == SQ && substr(s, i + 1, 1) == SQ) { i += 2; continue }
            return i
        }
        i++
    }
    return 0
}
function value(s, k, sep, q, depth, ind, flag,   n, c, j, d, ch) {
    n = length(s)
    c = substr(s, k, 1)
    if (k > n || (c == "#" && sep == ":")) {
        # a service named like a secret (keycloak:, token-service:) is a service, not a secret
        if (sep == ":" && q == "" && depth == 0 && !(SVC && ind == SVCIND)) { BLK = ind; MODE = "children" }
        return k
    }
    if ((c == "\"" || c == SQ) && c != q) {
        j = closeq(s, k + 1, c)
        if (j) { OUT = OUT c M c; return j + 1 }
        OUT = OUT c M; BLK = ind; MODE = "quote"; QQ = c
        return n + 1
    }
    if (q == "" && sep == ":" && (c == "|" || c == ">")) {
        OUT = OUT substr(s, k); BLK = ind; MODE = "scalar"
        return n + 1
    }
    if (q == "" && (c == "[" || c == "{")) {
        d = 0
        for (j = k; j <= n; j++) {
            ch = substr(s, j, 1)
            if (ch == "[" || ch == "{") d++
            else if (ch == "]" || ch == "}") { d--; if (d == 0) break }
        }
        OUT = OUT M
        if (j <= n) return j + 1
        BLK = ind; MODE = "scalar"
        return n + 1
    }
    for (j = k; j <= n; j++) {
        ch = substr(s, j, 1)
        if (q == "\"" && ch == "\\") { j++; continue }
        if (q != "" && ch == q) break
        if ((q != "" || flag) && blank(ch)) break
        if (depth > 0 && (ch == "," || ch == "]" || ch == "}")) break
    }
    OUT = OUT M
    # a plain value that runs to the end of its line goes on in the more-indented lines after it (a YAML
    # multi-line plain scalar): those lines are the secret too. Not after the word of a flag (the words after it,
    # such as --memory-limit on the next line of a command, are other words), nor inside quotes or brackets
    if (j > n && q == "" && depth == 0 && !flag) { BLK = ind; MODE = "scalar" }
    # "Bearer x" cut at the blank: the credentials are the next word
    if (j < n && blank(substr(s, j, 1)) && scheme(substr(s, k, j - k))) {
        d = j
        while (d <= n && blank(substr(s, d, 1))) d++
        ch = substr(s, d, 1)
        if (d <= n && ch != q && ch != "#") { OUT = OUT substr(s, j, d - j); return value(s, d, sep, q, depth, ind, 1) }
    }
    return j
}
function maskline(s,   n, i, c, j, k, p, q, depth, ind, name, flag, cq, sp) {
    n = length(s); OUT = ""; i = 1; q = ""; depth = 0; ind = indent(s)
    while (i <= n) {
        c = substr(s, i, 1)
        if (c == ":" && substr(s, i, 3) == "://") {
            # the authority ends at a stop character; its user info at its last @ (p@ss@host)
            j = i + 3
            while (j <= n && index(STOP, substr(s, j, 1)) == 0) j++
            while (j > i + 3 && substr(s, j - 1, 1) != "@") j--
            if (j > i + 3) {
                j--
                p = index(substr(s, i + 3, j - i - 3), ":")
                if (p) { OUT = OUT substr(s, i, 3 + p) M "@"; i = j + 1; continue }
            }
            OUT = OUT "://"; i += 3
            continue
        }
        if (isname(c)) {
            j = i
            while (j <= n && isname(substr(s, j, 1))) j++
            name = substr(s, i, j - i); OUT = OUT name; i = j
            if (!secret(name)) continue
            flag = substr(name, 1, 1) == "-" || scheme(name)
            k = i; cq = 0
            if (q != "" && substr(s, k, 1) == q) { cq = 1; k++ }
            while (k <= n && blank(substr(s, k, 1))) k++
            sp = k > i + cq
            c = substr(s, k, 1)
            if (c == "=" && !cq) {
                OUT = OUT substr(s, i, k - i + 1)
                i = value(s, k + 1, "=", q, depth, ind, flag)
                continue
            }
            if (c == ":" && (k == n || blank(substr(s, k + 1, 1)))) {
                if (cq) q = ""
                OUT = OUT substr(s, i, k - i + 1); k++
                while (k <= n && blank(substr(s, k, 1))) { OUT = OUT substr(s, k, 1); k++ }
                i = value(s, k, ":", q, depth, ind, 0)
                continue
            }
            if (!flag) continue
            if (cq) {
                if (c == ",") {
                    q = ""
                    OUT = OUT substr(s, i, k - i + 1); k++
                    while (k <= n && blank(substr(s, k, 1))) { OUT = OUT substr(s, k, 1); k++ }
                    i = value(s, k, ",", "", depth, ind, 0)
                    continue
                }
                if (k > n) PEND = substr(name, 1, 1) == "-"
                continue
            }
            if (k > n) { PEND = substr(name, 1, 1) == "-"; continue }
            if (sp && c != "-" && c != "#") {
                OUT = OUT substr(s, i, k - i)
                i = value(s, k, " ", q, depth, ind, 1)
            }
            continue
        }
        if (c == "\"" || c == SQ) {
            if (q == "") q = c
            else if (c == q) {
                if (q == SQ && substr(s, i + 1, 1) == SQ) { OUT = OUT SQ SQ; i += 2; continue }
                q = ""
            }
        } else if (c == "\\" && q == "\"") {
            OUT = OUT substr(s, i, 2); i += 2
            continue
        } else if (q == "" && (c == "[" || c == "{")) depth++
        else if (q == "" && (c == "]" || c == "}") && depth > 0) depth--
        OUT = OUT c; i++
    }
    return OUT
}
function child(s,   p, r) {
    match(s, /^[ \t]*(-[ \t]+)*/)
    p = substr(s, 1, RLENGTH); r = substr(s, RLENGTH + 1)
    if (r == "") return s
    if (match(r, KEYRE)) {
        if (substr(r, RLENGTH + 1) ~ /^[ \t]*([|>].*)?$/) return s
        r = substr(r, 1, RLENGTH)
        sub(/[ \t]+$/, "", r)
        return p r " " M
    }
    return p M
}
function services(s) {
    if (s ~ /^[^ \t#-]/) { SVC = s ~ /^services:[ \t]*(#.*)?$/; SVCIND = -1 }
    else if (SVC && SVCIND < 0 && s !~ /^[ \t]*(#.*)?$/) SVCIND = indent(s)
}
function masktext(s,   j, ind) {
    services(s)
    if (BLK >= 0 && MODE == "quote") {
        ind = indent(s)
        j = closeq(s, ind + 1, QQ)
        if (!j) return substr(s, 1, ind) M
        BLK = -1
        return substr(s, 1, ind) M QQ maskline(substr(s, j + 1))
    }
    if (BLK >= 0) {
        if (s ~ /^[ \t]*$/) return s
        ind = indent(s)
        if (ind > BLK) return MODE == "children" ? child(s) : substr(s, 1, ind) M
        BLK = -1
    }
    if (PEND) {
        PEND = 0
        match(s, /^[ \t]*(-[ \t]+)?/)
        if (RLENGTH < length(s)) return substr(s, 1, RLENGTH) M
    }
    return maskline(s)
}
BEGIN {
    M = "<masked-by-headroom>"; SQ = sprintf("%c", 39); BLK = -1; PEND = 0; SVC = 0; SVCIND = -1
    STOP = "/ \t\"" SQ ",]}?#"
    KEYRE = "^(\"[^\"]*\"|" SQ "[^" SQ "]*" SQ "|[^ \t\"" SQ "#][^:#]*)[ \t]*:([ \t]|$)"
}
{
    s = $0; cr = ""
    if (substr(s, length(s)) == "\r") { cr = "\r"; s = substr(s, 1, length(s) - 1) }
    if (reset != "" && index(s, reset) == 1) { BLK = -1; PEND = 0; print s cr; next }
    if (json) {
        if (index(s, "{\"Id\":\"") != 1) next
        BLK = -1; PEND = 0
        a = index(s, "\"Args\":"); b = index(s, ",\"Pid\":")
        if (a && b > a) s = substr(s, 1, a - 1) maskline(substr(s, a, b - a)) substr(s, b)
        print s cr
        next
    }
    print masktext(s) cr
}'
# mask_secrets [RESET]: stdin to stdout through MASK_AWK; a line starting with RESET (a nonce
# frame) ends any pending masking.
mask_secrets() { awk -v reset="${1:-}" "$MASK_AWK"; }
# mask_inspect: docker inspect JSON lines (INSPECT_FORMAT) with the container's Args masked; any other line
# (the ENV lines after them, or anything that is not a container's JSON line) is dropped
mask_inspect() { awk -v json=1 "$MASK_AWK"; }
# compose_text FILE MASKED: the SHA-256 of FILE as it is (the push checks it), a space, the SHA-256
# of the text sent (it tells the parser whether the text ended with a newline), then the text with
# secrets masked (written to MASKED first, a private temporary file), its first CAP + 2 bytes (emit_text)
compose_text() {
    _r=$(sha256sum <"$1") && _r=${_r%% *} && [ -n "$_r" ] && mask_secrets <"$1" >"$2" \
        && _s=$(sha256sum <"$2") && _s=${_s%% *} && echo "$_r $_s" && head -c $((CAP + 2)) -- "$2"
}
# dotenv_lines FILE: the AVAILABLE_MEMORY_FOR_DASK lines of a .env file, nothing else of it. At most
# CAP + 2 bytes of them, as emit_small holds them in a variable: a cut output stays over CAP even when
# the command substitution drops a newline at its end (then the section is truncated, never ok with
# lines lost). The file is stdin: awk would take a path like x=y/.env (from a label) for an assignment
# and read the probe's own stdin. No [[:space:]] in awk: mawk 1.3.3 (Debian 10, Ubuntu 18.04) has no
# POSIX classes and would match nothing.
dotenv_lines() {
    awk -v cap="$CAP" '/^[ \t\v\f\r]*(export[ \t\v\f\r]+)?AVAILABLE_MEMORY_FOR_DASK[ \t\v\f\r]*=/ {
        if (n + length($0) + 1 > cap + 1) { printf "%s", substr($0 "\n", 1, cap + 2 - n); exit }
        n += length($0) + 1; print }' <"$1"
}
# dask_env FILE: the "ENV <id> "NAME=value"" lines of FILE (docker inspect's Config.Env entries as JSON
# strings: one line each, whatever the value holds) as "<id> NAME=value", see DASK_ENV_AWK
dask_env() { awk -v jsonenv=1 "$DASK_ENV_AWK" "$1"; }
# dask_env: "ENV <id> NAME=value" lines to "<id> NAME=value": values only of the variables
# Headroom's model reads (Dask's memory thresholds, AVAILABLE_MEMORY_FOR_DASK) and the allocator
# and thread settings shown beside them; other DASK_* variables by name only (value masked).
# With jsonenv=1 each NAME=value is a JSON string, decoded here (a line that is not one is dropped);
# a newline inside a value travels as \001, as in the environ lines.
DASK_ENV_AWK='
BEGIN { M = "<masked-by-headroom>"; BADJ = sprintf("%c", 2); NL1 = sprintf("%c", 1) }
/^ENV [0-9a-f]+ / {
    rest = substr($0, 5); sp = index(rest, " "); id = substr(rest, 1, sp - 1); kv = substr(rest, sp + 1)
    if (jsonenv) {
        # the name is read from the JSON text as it is (Go escapes none of the characters of a name kept
        # or named here; a name with an escape or a quote is dropped); only a kept value is decoded
        if (substr(kv, 1, 1) != "\"") next
        kv = substr(kv, 2); eq = index(kv, "=")
        if (eq < 2 || substr(kv, 1, eq - 1) ~ /["\\]/) next
    }
    eq = index(kv, "="); if (eq < 2) next
    name = substr(kv, 1, eq - 1)
    if (name == "AVAILABLE_MEMORY_FOR_DASK" || name == "MALLOC_TRIM_THRESHOLD_" || name == "OMP_NUM_THREADS" || name == "PYTHON_CPU_COUNT") { keep(id, keptkv(kv, eq)); next }
    if (substr(name, 1, 5) != "DASK_") next
    if (tolower(substr(name, 6)) ~ /^distributed__worker__memory__(target|spill|pause|terminate)$/) keep(id, keptkv(kv, eq))
    else if (!jsonenv || substr(kv, length(kv)) == "\"") keep(id, name "=" M)
}
# keptkv KV EQ: KV (its "=" at EQ) with the value decoded when it is JSON (BADJ when it is not whole)
function keptkv(kv, eq,   v) {
    if (!jsonenv) return kv
    v = jsonstr("\"" substr(kv, eq + 1))
    return v == BADJ ? BADJ : substr(kv, 1, eq) v
}
# jsonstr S: the text of the JSON string S as Go writes it (docker and podman: escapes \" \\ \/ \b \f \n \r
# \t \uXXXX, UTF-8 raw), a newline as \001; BADJ when S is not a whole JSON string or holds a NUL
function jsonstr(s,   i, n, c, out, v, b) {
    n = length(s)
    if (n < 2 || substr(s, 1, 1) != "\"" || substr(s, n, 1) != "\"") return BADJ
    out = ""; i = 2
    while (i < n) {
        # the run up to the next backslash in one piece (a long value has few escapes, if any)
        b = index(substr(s, i, n - i), "\\")
        c = b ? substr(s, i, b - 1) : substr(s, i, n - i)
        if (index(c, "\"")) return BADJ
        out = out c
        if (!b) return out
        i += b
        if (i >= n) return BADJ
        c = substr(s, i, 1); i++
        if (c == "n") out = out NL1
        else if (c == "\"" || c == "\\" || c == "/") out = out c
        else if (c == "t") out = out "\t"
        else if (c == "r") out = out "\r"
        else if (c == "b") out = out sprintf("%c", 8)
        else if (c == "f") out = out sprintf("%c", 12)
        else if (c == "u") {
            v = hex4(substr(s, i, 4)); i += 4
            if (v <= 0 || i > n) return BADJ
            if (v == 10) out = out NL1
            else if (v < 128) out = out sprintf("%c", v)
            else if (v < 2048) out = out sprintf("%c%c", 192 + int(v / 64), 128 + v % 64)
            else out = out sprintf("%c%c%c", 224 + int(v / 4096), 128 + int(v / 64) % 64, 128 + v % 64)
        } else return BADJ
    }
    return out
}
# hex4 H: the value of four hex digits, -1 when H is not that
function hex4(h,   i, d, v) {
    if (length(h) != 4) return -1
    v = 0
    for (i = 1; i <= 4; i++) {
        d = index("0123456789abcdef", tolower(substr(h, i, 1)))
        if (!d) return -1
        v = v * 16 + d - 1
    }
    return v
}
function keep(id, kv) { if (kv == BADJ) return; if (environ) { if (nkept < 200) kept[++nkept] = kv } else print id " " kv }'
# <<< mask

# >>> labels — the compose labels of docker-inspect JSON lines, decoded as JSON (ProbeLabelsTest).
# compose_labels FILE: per container with both labels, a line ok<TAB>"WORKDIR"<TAB>"CONFIG_FILES" with
# the JSON escapes \" \\ \/ and Go's \u0026 \u003c \u003e decoded (a path may hold a double quote);
# a label with any other escape (a control character, e.g. a newline) gives bad<TAB>"ID"<TAB>"": such
# a path is never passed to the shell or framed, the section says why.
LABELS_AWK='
function jstr(s, key,   i, n, c, out, h) {
    i = index(s, "\"" key "\":")
    if (!i) return NOSTR
    i += length(key) + 3
    if (substr(s, i, 1) != "\"") return NOSTR
    i++; n = length(s); out = ""
    while (i <= n) {
        c = substr(s, i, 1)
        if (c == "\"") return out
        if (c == "\\") {
            c = substr(s, i + 1, 1); i += 2
            if (c == "\"" || c == "\\" || c == "/") { out = out c; continue }
            if (c == "u") {
                h = substr(s, i, 4); i += 4
                if (h == "0026") { out = out "&"; continue }
                if (h == "003c") { out = out "<"; continue }
                if (h == "003e") { out = out ">"; continue }
            }
            return BAD
        }
        out = out c; i++
    }
    return BAD
}
BEGIN { NOSTR = sprintf("%c", 1); BAD = sprintf("%c", 2) }
/^\{"Id":"[0-9a-f]+"/ {
    id = substr($0, 8, index(substr($0, 8), "\"") - 1)
    wd = jstr($0, "ComposeWorkingDir"); f = jstr($0, "ComposeConfigFiles")
    if (wd == NOSTR || f == NOSTR) next
    if (wd == BAD || f == BAD) { print "bad\t\"" id "\"\t\"\""; next }
    print "ok\t\"" wd "\"\t\"" f "\""
}'
compose_labels() { awk "$LABELS_AWK" "$1"; }
# <<< labels

# ---- cgroup mount points: a definition, the deaths script (issue 20) reads them too ----
# mount point of the v1 memory controller and of the v2 hierarchy, from mountinfo
{ read -r V1MEM; read -r V1CPU; read -r V2MNT; } <<EOF
$(awk '$0 ~ / - cgroup / { n=split($NF, o, ","); for (i=1;i<=n;i++) { if (o[i]=="memory" && mem=="") mem=$5; if (o[i]=="cpu" && cpu=="") cpu=$5 } }
       $0 ~ / - cgroup2 / && v2=="" { v2=$5 }
       END { print mem; print cpu; print v2 }' /proc/self/mountinfo 2>/dev/null)
EOF

# ---- host ----
# cpus_online: the number of online CPUs as getconf _NPROCESSORS_ONLN counts them (glibc's get_nprocs reads
# /sys/devices/system/cpu/online, a cpuset(7) list such as 0-3,6), by shell arithmetic; fails when the file
# is missing or not such a list
cpus_online() {
    IFS= read -r _l 2>/dev/null </sys/devices/system/cpu/online || return 1
    case "$_l" in ''|*[!0-9,-]*) return 1 ;; esac
    _c=0; _old_ifs=$IFS; IFS=,
    set -- $_l
    IFS=$_old_ifs
    for _r in "$@"; do
        _a=${_r%%-*}
        case "$_r" in *-*) _b=${_r#*-} ;; *) _b=$_r ;; esac
        # two plain decimal numbers (no sign, no leading zero: never octal), the second not below the first
        case "$_a" in ''|*[!0-9]*|0?*) return 1 ;; esac
        case "$_b" in ''|*[!0-9]*|0?*) return 1 ;; esac
        [ "$_b" -ge "$_a" ] || return 1
        _c=$((_c + _b - _a + 1))
    done
    [ "$_c" -gt 0 ] || return 1
    echo "$_c"
}
probe_meta() {
    echo "version=$PROBE_VERSION"
    echo "epoch=$(date +%s)"
    # the kernel's own files where they exist: no fork
    # the effective uid, as id -u prints it: the second number of /proc/self/status's Uid line
    _v=""
    while read -r _k _r _e _rest; do
        [ "$_k" != "Uid:" ] || { _v=$_e; break; }
    done 2>/dev/null </proc/self/status
    case "$_v" in ''|*[!0-9]*) _v=$(id -u) ;; esac
    echo "uid=$_v"
    if IFS= read -r _v 2>/dev/null </proc/sys/kernel/hostname; then echo "hostname=$_v"; else echo "hostname=$(hostname 2>/dev/null)"; fi
    if IFS= read -r _v 2>/dev/null </proc/sys/kernel/osrelease; then echo "kernel=$_v"; else echo "kernel=$(uname -r)"; fi
    if IFS= read -r _v 2>/dev/null </proc/sys/kernel/arch && [ -n "$_v" ]; then echo "machine=$_v"; else echo "machine=$(uname -m)"; fi
    _n=$(cpus_online) || _n=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo)
    echo "cpus=$_n"
    [ -n "${AVAILABLE_MEMORY_FOR_DASK+x}" ] && printf 'env.AVAILABLE_MEMORY_FOR_DASK=%s\n' "$AVAILABLE_MEMORY_FOR_DASK"
    return 0
}

emit_small meta - probe_meta
emit_small meminfo - readfile /proc/meminfo
emit_small mountinfo - grep -E ' - (cgroup|cgroup2) ' /proc/self/mountinfo

environment_file() {
    if [ -r /etc/environment ]; then grep -E '^[[:space:]]*(export[[:space:]]+)?AVAILABLE_MEMORY_FOR_DASK=' /etc/environment || true; fi
}
emit_small etc-environment - environment_file

# ---- kernel log: OOM-killer lines, bounded tail ----
# oom_lines: the last 200 lines of stdin that name the OOM killer (as grep -iE | tail -n 200, in one process)
oom_lines() {
    awk 'tolower($0) ~ /out of memory|oom-kill|oom_reaper|killed process|invoked oom-killer/ { l[n++ % 200] = $0 }
         END { for (i = (n > 200 ? n - 200 : 0); i < n; i++) print l[i % 200] }'
}
kernel_oom() {
    if dmesg >"$T/dmesg" 2>/dev/null; then
        oom_lines <"$T/dmesg"
    elif have journalctl && journalctl -k -q --no-pager -n 1 >/dev/null 2>&1; then
        journalctl -k -q --no-pager -o short-monotonic 2>/dev/null | oom_lines
    else
        echo "kernel log not readable: dmesg and journalctl -k both denied for uid $(id -u)" >&2
        return 1
    fi
}
emit_small kernel-oom - kernel_oom

# ---- containers ----
DOCKER=""
docker_try() {
    # docker_try PREFIX... : succeed when `PREFIX docker ps` answers; its output is the docker-ps section
    $TO "$@" docker ps --no-trunc -q >"$T/dps" 2>"$T/derr"
}
if have docker; then
    if [ "$SUDO_MODE" != "always" ] && docker_try; then
        DOCKER="docker"
    elif [ "$SUDO_MODE" != "never" ] && have sudo && docker_try sudo -n; then
        DOCKER="sudo -n docker"
    fi
fi

run_docker() { $TO $DOCKER "$@"; }
dask_log() {
    run_docker logs --tail 2000 "$1" 2>&1 | grep -E 'was killed by signal|Worker process [0-9]+ (was killed|exited)' | tail -n 20 \
        | head -c $((CAP + 2)) || true  # CAP + 2: see dotenv_lines
}
# One `docker inspect` gives both sections: the JSON line of each container, then its
# environment as "ENV <id> NAME=value" lines ($T/inspect-all, its exit status in $_irc).
inspect_json() {
    if [ "$_irc" != 0 ]; then
        cat "$T/inspect-err" >&2
        return "$_irc"
    fi
    cat "$T/inspect"
}
docker_env() {
    dask_env "$T/inspect-all"
}

if [ -z "$DOCKER" ]; then
    if have docker; then
        _why=$(head -c 300 "$T/derr" 2>/dev/null | tr '\n' ' ')
        unavailable docker-ps - "docker CLI did not answer: ${_why:-unknown error}"
    else
        unavailable docker-ps - "docker CLI not found in PATH"
    fi
else
    emit_small docker-ps - readfile "$T/dps"
fi

# Only ids made of hex digits are ever used further.
IDS=""
if [ -n "$DOCKER" ] && [ -s "$T/dps" ]; then
    IDS=$(awk 'length($0) >= 12 && length($0) <= 64 && $0 !~ /[^0-9a-f]/ && n++ < 500 { printf "%s ", $0 }' "$T/dps")
fi

if [ -n "$IDS" ]; then
    INSPECT_FORMAT='{"Id":{{json .Id}},"Name":{{json .Name}},"Image":{{json .Config.Image}},"Path":{{json .Path}},"Args":{{json .Args}},"Pid":{{json .State.Pid}},"Status":{{json .State.Status}},"StartedAt":{{json .State.StartedAt}},"OOMKilled":{{json .State.OOMKilled}},"RestartCount":{{json .RestartCount}},"Memory":{{json .HostConfig.Memory}},"MemoryReservation":{{json .HostConfig.MemoryReservation}},"MemorySwap":{{json .HostConfig.MemorySwap}},"NanoCpus":{{json .HostConfig.NanoCpus}},"CgroupParent":{{json .HostConfig.CgroupParent}},"ComposeProject":{{json (index .Config.Labels "com.docker.compose.project")}},"ComposeService":{{json (index .Config.Labels "com.docker.compose.service")}},"ComposeWorkingDir":{{json (index .Config.Labels "com.docker.compose.project.working_dir")}},"ComposeConfigFiles":{{json (index .Config.Labels "com.docker.compose.project.config_files")}}}'
    # shellcheck disable=SC2086
    # each environment entry as a JSON string: a value may hold newlines (a PEM key), and a raw one would put
    # its next lines where the JSON lines are
    run_docker inspect --format "$INSPECT_FORMAT"'{{range .Config.Env}}{{"\n"}}ENV {{$.Id}} {{json .}}{{end}}' $IDS \
        >"$T/inspect-all" 2>"$T/inspect-err"
    _irc=$?
    # the masked JSON lines as the section sends them (at most CAP + 1 bytes), read again below
    : >"$T/inspect"
    if [ "$_irc" = 0 ]; then
        mask_inspect <"$T/inspect-all" | head -c $((CAP + 1)) >"$T/inspect"
    fi
    emit_small docker-inspect - inspect_json
    # Only Dask-relevant variables leave the VM: other values may be secrets.
    emit_small docker-env - docker_env
fi

# >>> environ — a Dask process's environment and config files (ProbeEnvironTest)
# A process's environment as it runs (variables its entrypoint set that the container's Config.Env
# lacks) goes into its dask-view section (SECTIONS_AWK): "/proc/self/environ<TAB>read N" (N bytes read,
# at most 65536), then "environ<TAB>NAME=value" lines through DASK_ENV_AWK (values only of the variables
# the model reads, other DASK_* names only, nothing else; at most 200 lines), or "<unreadable>" when this
# user may not read it (another uid without root). A newline inside a value travels as \001.
# environs PID...: the environments of these processes by ONE cat, ONE tr and ONE awk (as cmdlines does):
# each /proc/PID/environ is preceded by a NUL and a "==HR:<NONCE>:environ <pid>" record, and ENVIRON_AWK
# (before DASK_ENV_AWK) writes $T/envout.PID (those lines) and $T/ev.PID (dask_yaml's variables, never sent).
environs() {
    _files=""
    for _p in "$@"; do
        case "$_p" in "" | *[!0-9]*) continue ;; esac
        printf '\000==HR:%s:environ %s\000' "$NONCE" "$_p" >"$T/esep.$_p"
        _files="$_files $T/esep.$_p /proc/$_p/environ"
    done
    printf '\000==HR:%s:environ\000' "$NONCE" >"$T/esep"
    # shellcheck disable=SC2086
    [ -z "$_files" ] || cat $_files "$T/esep" 2>/dev/null | tr '\n\000' '\001\n' \
        | awk -v nonce="$NONCE" -v dir="$T" -v environ=1 "$ENVIRON_AWK$DASK_ENV_AWK"
}
# ENVIRON_AWK: see environs. Per pid, the bytes read are counted as head -c 65536 would read them (a
# newline here is one byte of the file); the file is unreadable when awk cannot open it (getline
# -1). Per pid: envout gets "/proc/self/environ<TAB>read N" and the kept variables (keep, in
# DASK_ENV_AWK), ev gets "ok" and the first HOME, DASK_ROOT_CONFIG and DASK_CONFIG values.
ENVIRON_AWK='
function flush(   i, out, f, x) {
    if (pid == "") return
    out = dir "/envout." pid
    f = "/proc/" pid "/environ"
    if ((getline x < f) < 0) { close(f); pid = ""; return }
    close(f)
    # the record before the next frame ends with the NUL of that frame, not with a byte of this file
    n = bytes - 1; if (n > 65536) n = 65536; if (n < 0) n = 0
    printf "/proc/self/environ\tread %d\n", n > out
    for (i = 1; i <= nkept; i++) print "environ\t" kept[i] > out
    close(out)
    printf "ok\n%s\n%s\n%s\n", home, rootc, userc > (dir "/ev." pid); close(dir "/ev." pid)
    pid = ""
}
END { flush() }
index($0, "==HR:" nonce ":environ") == 1 {
    flush()
    pid = substr($0, length("==HR:" nonce ":environ") + 2)
    if (pid !~ /^[0-9]+$/) pid = ""
    bytes = 0; nkept = 0; home = ""; rootc = ""; userc = ""; h = 0; r = 0; u = 0; skip = 0
    next
}
pid == "" || skip { next }
{
    # head -c 65536: a record past the cap is cut, the rest of this pid skipped
    if (bytes + length($0) > 65536) { $0 = substr($0, 1, 65536 - bytes); skip = 1 }
    bytes += length($0) + 1
    if (!h && substr($0, 1, 5) == "HOME=") { h = 1; home = substr($0, 6) }
    if (!r && substr($0, 1, 17) == "DASK_ROOT_CONFIG=") { r = 1; rootc = substr($0, 18) }
    if (!u && substr($0, 1, 12) == "DASK_CONFIG=") { u = 1; userc = substr($0, 13) }
    $0 = "ENV 0 " $0
}'

# dask_yaml PID EXE: Dask's YAML config files as the process finds them (dask/config.py _get_paths,
# the same from 2022.12.1 to 2026.7.1): $DASK_ROOT_CONFIG or /etc/dask, {sys.prefix}/etc/dask (the
# interpreter's prefix: EXE without bin/NAME), ~/.config/dask ($HOME), $DASK_CONFIG (a directory's
# *.json/*.yaml/*.yml in sorted order, or the file), all through the process's root. The variables are
# read by ENVIRON_AWK ($T/ev.PID) and never sent. Per file, "yaml-file<TAB>PATH" and, from YAML_MEMORY_AWK,
# only the values of distributed.worker.memory.{target,spill,pause,terminate} as "yaml<TAB>KEY<TAB>VALUE",
# or "yaml-unread<TAB>PATH<TAB>reason" for what it does not read (JSON, flow style, tabs).
dask_yaml() {
    _r="/proc/$1/root"
    _pre=${2%/bin/*}
    [ "$_pre" = "$2" ] && _pre=""
    _n=0
    for _d in "${_rootc:-/etc/dask}" "${_pre:+$_pre/etc/dask}" "${_home:+$_home/.config/dask}" "$_userc"; do
        case "$_d" in "" | *..* | [!/]*) continue ;; esac
        if [ -d "$_r$_d" ]; then
            for _y in "$_r$_d"/*; do
                case "$_y" in *.[Yy][Aa][Mm][Ll] | *.[Yy][Mm][Ll] | *.[Jj][Ss][Oo][Nn]) ;; *) continue ;; esac
                [ -f "$_y" ] || continue
                _n=$((_n + 1)); [ "$_n" -le 20 ] || break
                yaml_memory "$_y" "${_y#$_r}"
            done
        elif [ -f "$_r$_d" ]; then
            _n=$((_n + 1)); [ "$_n" -le 20 ] || break
            yaml_memory "$_r$_d" "$_d"
        fi
    done
}
# yaml_memory FILE NAME: see dask_yaml (at most 64 KiB of the file)
yaml_memory() {
    printf 'yaml-file\t%s\n' "$2"
    case "$2" in *.[Jj][Ss][Oo][Nn]) printf 'yaml-unread\t%s\tJSON\n' "$2"; return 0 ;; esac
    head -c 65536 -- "$1" 2>/dev/null | HR_YAML_NAME=$2 awk "$YAML_MEMORY_AWK"
}
# block-style YAML: the key path of each "key: value" line by its indentation; values of the four
# memory thresholds only; a flow collection, a tab indent or a document marker stops the reading
YAML_MEMORY_AWK='
BEGIN { name = ENVIRON["HR_YAML_NAME"] }
{
    sub(/\r$/, ""); line = $0
    if (line ~ /^[ ]*(#|$)/) next
    if (line ~ /^---[ ]*$/ && !seen) next
    seen = 1
    if (line ~ /^\t/ || line ~ /^(---|\.\.\.)/) { print "yaml-unread\t" name "\tline " NR ": not block-style YAML"; exit }
    match(line, /^ */); ind = RLENGTH; c = substr(line, ind + 1)
    while (n > 0 && ind <= lvl[n]) n--
    if (c ~ /^["'"'"']?[A-Za-z0-9_.-]+["'"'"']?[ ]*:([ ]|$)/) {
        k = c; sub(/[ ]*:([ ].*)?$/, "", k); gsub(/["'"'"']/, "", k)
        v = substr(c, index(c, ":") + 1); sub(/^[ ]+/, "", v); sub(/[ ]+#.*$/, "", v); sub(/[ ]+$/, "", v)
        n++; lvl[n] = ind; key[n] = k; gsub(/_/, "-", key[n])
        p = key[1]; for (i = 2; i <= n; i++) p = p "." key[i]
        if (v ~ /^[{[&*!|>]/ && (index("distributed.worker.memory.", p ".") == 1 || index(p, "distributed.worker.memory.") == 1)) {
            print "yaml-unread\t" name "\tline " NR ": " substr(v, 1, 1) " under " p; exit
        }
        if (p ~ /^distributed\.worker\.memory\.(target|spill|pause|terminate)$/) print "yaml\t" p "\t" v
        next
    }
    if (n > 0 && key[1] == "distributed") { print "yaml-unread\t" name "\tline " NR ": not a key"; exit }
}'
# <<< environ

# processes: one grep over all cmdlines finds Dask and multiprocessing children
CAND=""
if [ -n "$IDS" ]; then
    CAND=$(grep -l -a -E 'dask|distributed|spawn_main|forkserver' /proc/[0-9]*/cmdline 2>/dev/null \
        | awk -F/ 'NF == 4 && $1 == "" && $2 == "proc" && $3 ~ /^[0-9]+$/ && $4 == "cmdline" && n++ < 2000 { printf "%s ", $3 }')
fi

# dask_versions PID : the distributed-*.dist-info / .egg-info directories under the process's root
# (their number in $_dvn)
dask_versions() {
    _dvn=0
    _p=$1
    _root="/proc/$_p/root"
    _seen="|"
    for _d in "$_root"/usr/lib/python3/dist-packages "$_root"/usr/lib/python3*/site-packages "$_root"/usr/lib/python3*/dist-packages \
              "$_root"/usr/local/lib/python3*/site-packages "$_root"/usr/local/lib/python3*/dist-packages \
              "$_root"/opt/conda/lib/python3*/site-packages "$_root"/opt/conda/envs/*/lib/python3*/site-packages \
              "$_root"/home/*/.local/lib/python3*/site-packages "$_root"/root/.local/lib/python3*/site-packages \
              "$_root"/venv/lib/python3*/site-packages "$_root"/opt/*/lib/python3*/site-packages; do
        for _m in "$_d"/distributed-*.dist-info "$_d"/distributed-*.egg-info; do
            # the patterns overlap (python3 and python3*): print each directory once
            case "$_seen" in *"|$_m|"*) continue ;; esac
            _seen="$_seen$_m|"
            [ -e "$_m" ] && printf '%s\n' "${_m#$_root}" && _dvn=$((_dvn + 1))
        done
    done
    return 0
}

# cmdlines of all candidates, NUL-separated, turned into lines by ONE cat and ONE tr (not one tr
# per process): each is preceded by a "==HR:<NONCE>:cmdline <pid>" line, into $T/cmdlines, which
# SECTIONS_AWK splits (not the read builtin: a read(2) per byte).
cmdlines() {
    printf '==HR:%s:cmdline\0' "$NONCE" >"$T/sep"
    _files=""
    for _p in $CAND; do
        printf '==HR:%s:cmdline %s\0' "$NONCE" "$_p" >"$T/sep.$_p"
        _files="$_files $T/sep.$_p /proc/$_p/cmdline $T/sep"
    done
    # shellcheck disable=SC2086
    [ -z "$_files" ] || cat $_files 2>/dev/null | tr '\0' '\n' | mask_secrets "==HR:$NONCE:cmdline" >"$T/cmdlines"
}

# >>> sections — the container-cgroup, process and dask-view sections of every container (ProbeSectionsTest)
# dash's read builtin takes one read(2) per byte, and every $(...) is a fork: reading the cgroup and
# /proc files of 10 containers and 19 Dask processes that way was ~45 000 syscalls and ~50 forks, most
# of the probe's CPU (docs/performance.md, Round 8). So the shell only finds what needs it (test -ef,
# globs, dask_yaml) and writes a plan; ONE awk (SECTIONS_AWK) reads every file and prints the sections.
#
# exes PID...: "/proc/PID/exe" and its target, one line each (a newline in a target as \001), for all
# these processes by ONE find -printf (GNU findutils); where find has no -printf (busybox), one readlink
# each. A process that is gone has no lines; one whose link cannot be read has an empty target.
exes() {
    : >"$T/exes"
    [ $# -gt 0 ] || return 0
    _f=""
    for _p in "$@"; do _f="$_f /proc/$_p/exe"; done
    # shellcheck disable=SC2086
    find $_f -maxdepth 0 -printf '%p\000%l\000' 2>/dev/null | tr '\n\000' '\001\n' >"$T/exes"
    [ -s "$T/exes" ] && return 0
    for _p in "$@"; do
        _x=$(readlink "/proc/$_p/exe" 2>/dev/null)
        case "$_x" in *"
"*) _x=$(printf '%s' "$_x" | tr '\n' '\001') ;; esac
        printf '/proc/%s/exe\n%s\n' "$_p" "$_x"
    done >"$T/exes"
}
# exe_of PID: $_x = its interpreter, the first line of the link's target, at most 512 bytes, from
# $T/exes on fd 3 (read in the order exes was given; a pid with no lines there gets "")
exe_of() {
    _x=""
    if [ -z "$_xp" ]; then
        IFS= read -r _xp <&3 && IFS= read -r _xt <&3 || { _xp=""; _xt=""; }
    fi
    [ "$_xp" = "/proc/$1/exe" ] || return 0
    _xp=""
    _x=$_xt
    case "$_x" in *[!\ -~]*) _x=$(printf '%s\n' "$_x" | tr '\001' '\n' | head -n 1) ;; esac
    [ "${#_x}" -le 512 ] || _x=$(printf '%s' "$_x" | head -c 512)
}
# sections_plan: $T/plan from $T/match ("<id> <pid> <pid>..." per container), one line per container,
#   c<TAB>ID<TAB>PID                       a running container
#   u<TAB>ID<TAB>PID                       a container that is not running
#   p<TAB>ID<TAB>PID<TAB>NS<TAB>DV<TAB>EXE one of its Dask processes: shared/private/unknown cgroup
#                                          namespace, the pid whose listing of distributed-* directories
#                                          it shares (one listing per container root), its interpreter
# Those listings ($T/dv) and dask_yaml's lines for each process whose environment was read ($T/yaml)
# follow a "==HR:<NONCE>:dv|yaml PID" line each.
sections_plan() {
    _all=""
    while read -r _id _pid _procs; do _all="$_all $_procs"; done <"$T/match"
    # shellcheck disable=SC2086
    exes $_all
    exec 3<"$T/exes"
    _xp=""; _dvn=0
    : >"$T/dv"; : >"$T/yaml"
    while read -r _id _pid _procs; do
        if [ "$_pid" -gt 0 ] 2>/dev/null; then
            printf 'c\t%s\t%s\n' "$_id" "$_pid"
            _first=""
            for _p in $_procs; do
                exe_of "$_p"
                if [ "/proc/$_p/ns/cgroup" -ef "/proc/$$/ns/cgroup" ]; then _ns=shared
                elif [ -e "/proc/$_p/ns/cgroup" ]; then _ns=private
                else _ns=unknown; fi
                # the processes of one container share its file system: a non-empty listing serves the
                # others whose root is the same directory (test -ef: same device and inode)
                if [ -z "$_first" ] || [ "$_dvn" = 0 ] || ! [ "/proc/$_p/root" -ef "/proc/$_first/root" ]; then
                    _first=$_p
                    { printf '==HR:%s:dv %s\n' "$NONCE" "$_p"; dask_versions "$_p"; } >>"$T/dv"
                fi
                _ok=""; _home=""; _rootc=""; _userc=""
                [ -r "$T/ev.$_p" ] && { IFS= read -r _ok; IFS= read -r _home; IFS= read -r _rootc; IFS= read -r _userc; } <"$T/ev.$_p"
                [ "$_ok" != ok ] || { printf '==HR:%s:yaml %s\n' "$NONCE" "$_p"; dask_yaml "$_p" "$_x"; } >>"$T/yaml"
                printf 'p\t%s\t%s\t%s\t%s\t%s\n' "$_id" "$_p" "$_ns" "$_first" "$_x"
            done
        else
            printf 'u\t%s\t%s\n' "$_id" "$_pid"
        fi
    done <"$T/match" >"$T/plan"
    exec 3<&-
}
# sections: the plan's sections on stdout, framed as emit_small frames them; the ids of containers whose
# cgroup counts an OOM kill (oom_kill N > 0) go to $T/logs (their dask-log sections follow, by the docker CLI)
# mawk stops at a read(2) that fails after the open succeeded (a process reaped or a cgroup removed
# between the two: ESRCH, ENODEV; a directory where a file was expected: EISDIR). awk notes in $T/at
# the plan line and section it is reading; when it stops, that section (and, from a process
# section, its dask-view) is unavailable with awk's message, and awk goes on after that line.
sections() {
    _from=0
    : >"$T/at"
    while :; do
        HR_V1MEM=$V1MEM HR_V1CPU=$V1CPU HR_V2MNT=$V2MNT HR_DIR=$T HR_PROC=/proc \
            awk -v nonce="$NONCE" -v cap="$CAP" -v from="$_from" "$SECTIONS_AWK" "$T/plan" 2>"$T/aerr" && return 0
        _at=""; _kind=""; _subj=""
        [ -s "$T/at" ] && read -r _at _kind _subj <"$T/at"
        case "$_at" in "" | *[!0-9]*) return 1 ;; esac
        [ "$_at" -gt "$_from" ] || return 1
        _why=$(head -c 300 "$T/aerr" | tr '\n' ' ')
        unavailable "$_kind" "$_subj" "could not be read: ${_why:-awk stopped}"
        [ "$_kind" != process ] || unavailable dask-view "$_subj" "could not be read: ${_why:-awk stopped}"
        _from=$_at
    done
}
# SECTIONS_AWK: the plan to sections. Per running container (container-cgroup ID): the lines of
# /proc/PID/cgroup naming the memory or cpu controller or v2's "0::", then the memory cgroup's files
# ("--- dir v1|v2 DIR", per file "--- NAME" and its text, or "--- NAME unavailable"; memory.stat with its
# sizes only, MEMSTAT; v1's cpu.cfs_* only where readable). Per Dask process (process ID/PID): its
# cmdline ($T/cmdlines, from cmdlines), the lines of /proc/PID/status (Name PPid NSpid Cpus_allowed_list
# VmRSS Uid), limits (Max resident set) and cgroup (the memory controller's line (v1) and the unified
# "0::" one) and distributed-* directories ($T/dv); (dask-view ID/PID): the files exactly as the process reads
# them through its root, which is what distributed.system.memory_limit() and dask.system.cpu_count()
# open ("PATH<TAB>first line and a space"; /proc/meminfo's MemTotal and MemAvailable lines, each followed
# by ";"; no line for a file that cannot be opened: the parser takes a missing line, as the "<absent>" of
# probes before Round 8, for a missing file), its last /proc/self/cgroup line ("<absent>" when unread) and
# namespace, the cpu.max dask >= 2023.8.1 reads at /sys/fs/cgroup<P>/ (P after the last ':' of that line,
# only in a shared namespace and only a plain path), its interpreter, environment ($T/envout.PID, from
# environs) and YAML ($T/yaml). Text files are read up to 1000 lines.
SECTIONS_AWK='
BEGIN {
    FS = "\t"
    proc = ENVIRON["HR_PROC"]; dir = ENVIRON["HR_DIR"]
    v1mem = ENVIRON["HR_V1MEM"]; v1cpu = ENVIRON["HR_V1CPU"]; v2mnt = ENVIRON["HR_V2MNT"]
    split("memory.limit_in_bytes memory.soft_limit_in_bytes memory.usage_in_bytes memory.max_usage_in_bytes memory.memsw.limit_in_bytes memory.oom_control memory.stat", V1, " ")
    split("memory.max memory.high memory.low memory.min memory.current memory.peak memory.swap.max memory.events memory.stat cpu.max", V2, " ")
    split("cpu.cfs_quota_us cpu.cfs_period_us", V1CPU, " ")
    n = split("cache rss rss_huge shmem mapped_file swap inactive_anon active_anon inactive_file active_file unevictable hierarchical_memory_limit hierarchical_memsw_limit total_inactive_file anon file kernel kernel_stack pagetables sock file_mapped file_dirty file_writeback swapcached slab slab_reclaimable slab_unreclaimable", a, " ")
    for (i = 1; i <= n; i++) MEMSTAT[a[i]] = 1
    frames(dir "/cmdlines", "cmdline", CMD); frames(dir "/dv", "dv", DV); frames(dir "/yaml", "yaml", YAML)
    nview = split("/proc/meminfo /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.soft_limit_in_bytes /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.high /sys/fs/cgroup/memory.low /sys/fs/cgroup/cpuacct,cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpuacct,cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu.max", VIEW, " ")
}
# frames(FILE, KIND, A): A[PID] = the lines after each "==HR:<nonce>:KIND PID" line of FILE (at most 1000);
# a bare "==HR:<nonce>:KIND" line ends one
function frames(f, kind, A,   h, l, cur, n) {
    h = "==HR:" nonce ":" kind; cur = ""
    while ((getline l < f) > 0) {
        if (l == h) cur = ""
        else if (substr(l, 1, length(h) + 1) == h " ") {
            cur = substr(l, length(h) + 2)
            if (cur ~ /^[0-9]+$/) { A[cur] = ""; n[cur] = 0 } else cur = ""
        } else if (cur != "" && n[cur]++ < 1000) A[cur] = A[cur] l "\n"
    }
    close(f)
}
# keep(FILE, RE): its lines matching RE (at most 1000); last = its last line
function keep(f, re,   l, s, n) {
    s = ""; last = ""; n = 0
    while ((getline l < f) > 0) { if (l ~ re && n++ < 1000) s = s l "\n"; last = l }
    close(f)
    return s
}
function before(s, c,   i) { i = index(s, c); return i ? substr(s, 1, i - 1) : s }
function after(s, c,   i) { i = index(s, c); return i ? substr(s, i + 1) : s }
# text(FILE, STAT): its lines (at most 1000; STAT: memory.stat lines in MEMSTAT only); opened = 0 when it cannot be read
function text(f, stat,   l, r, s, n) {
    s = ""; n = 0
    while ((r = (getline l < f)) > 0) {
        if (!stat) { s = s l "\n"; if (++n >= 1000) break }
        else if (before(l, " ") in MEMSTAT) s = s l "\n"
    }
    close(f)
    opened = r >= 0
    return s
}
# line(FILE): its first line and a space ("" when empty); opened = 0 when it cannot be read
function line(f,   l, r) {
    r = (getline l < f); close(f)
    opened = r >= 0
    return r > 0 ? l " " : ""
}
function cgfile(d, f,   t) {
    t = text(d "/" f, f == "memory.stat")
    return opened ? "--- " f "\n" t : "--- " f " unavailable\n"
}
function emit(name, arg, s) {
    printf "==HR:%s:begin %s %s\n", nonce, name, arg
    sub(/\n+$/, "", s)
    if (length(s) > cap + 0) { printf "%s\n==HR:%s:end %s status=truncated cap=%s\n", substr(s, 1, cap), nonce, name, cap; return }
    if (s != "") print s
    printf "==HR:%s:end %s status=ok\n", nonce, name
}
function unavailable(name, arg, why) {
    printf "==HR:%s:begin %s %s\n==HR:%s:end %s status=unavailable %s\n", nonce, name, arg, nonce, name, why
}
# cgroup(PID): the container-cgroup section text of the container whose main process is PID; why when none
function cgroup(pid,   f, l, r, n, h, rest, ctl, path, v1, v2, c, s, d, i, t) {
    f = proc "/" pid "/cgroup"
    s = "--- /proc/" pid "/cgroup\n"; v1 = ""; v2 = ""; c = ""; n = 0; why = ""
    while ((r = (getline l < f)) > 0) {
        n++
        h = before(l, ":"); rest = after(l, ":"); ctl = before(rest, ":"); path = before(after(rest, ":"), ":")
        if (("," ctl ",") ~ /,(memory|cpu),/ || (ctl == "" && h == "0")) s = s l "\n"
        if (v1 == "" && ("," ctl ",") ~ /,memory,/) v1 = path
        if (c == "" && ("," ctl ",") ~ /,cpu,/) c = path
        if (v2 == "" && ctl == "" && h == "0") v2 = path
    }
    close(f)
    if (r < 0 && n == 0) { why = "/proc/" pid "/cgroup is not readable "; return "" }
    if (v1 != "" && v1mem != "") {
        d = v1mem v1; s = s "--- dir v1 " d "\n"
        for (i = 1; i in V1; i++) s = s cgfile(d, V1[i])
        if (c != "" && v1cpu != "") for (i = 1; i in V1CPU; i++) { t = text(v1cpu c "/" V1CPU[i], 0); if (opened) s = s "--- " V1CPU[i] "\n" t }
    } else if (v2 != "" && v2mnt != "") {
        d = v2mnt v2; s = s "--- dir v2 " d "\n"
        for (i = 1; i in V2; i++) s = s cgfile(d, V2[i])
    } else {
        why = "no memory cgroup found for pid " pid " "
        return ""
    }
    return s
}
# process(PID, DV): the process section text; CGL[PID] = the last line of its /proc/PID/cgroup
function process(p, dv,   s, c) {
    s = "--- cmdline\n" CMD[p] "\n--- status\n" keep(proc "/" p "/status", "^(Name|PPid|NSpid|Cpus_allowed_list|VmRSS|Uid):") \
        "--- limits\n" keep(proc "/" p "/limits", "^Max resident set")
    c = keep(proc "/" p "/cgroup", "^0::|[:,]memory[:,]")
    CGL[p] = last
    return s "--- cgroup\n" c "--- dask-versions\n" DV[dv]
}
# at(KIND, SUBJECT): notes the section being read, for sections() when awk stops
function at(kind, subj) { printf "%d %s %s\n", NR, kind, subj > (dir "/at"); close(dir "/at") }
function view(p, ns, exe,   root, s, i, f, v, l, r, k, g) {
    root = proc "/" p "/root"; s = ""
    for (i = 1; i <= nview; i++) {
        f = VIEW[i]
        if (f == "/proc/meminfo") {
            # MemTotal and MemAvailable lines, each followed by ";", read until both are seen
            v = ""; k = 0
            while (k < 2 && (r = (getline l < (root f))) > 0) if (l ~ /^(MemTotal|MemAvailable):/) { v = v l ";"; k++ }
            close(root f)
            opened = !(r < 0 && k == 0)
        } else v = line(root f)
        if (opened) s = s f "\t" v "\n"
    }
    l = CGL[p]
    s = s "/proc/self/cgroup\t" (l != "" ? l : "<absent>") "\n/proc/self/ns/cgroup\t" ns "\n"
    g = l
    while ((k = index(g, ":")) > 0) g = substr(g, k + 1)
    if (ns == "private") g = ""
    if (g != "" && g != "/" && g !~ "[^A-Za-z0-9_./@+=-]" && index(g, "..") == 0) {
        sub(/\/$/, "", g)
        f = "/sys/fs/cgroup" g "/cpu.max"; v = line(root f)
        if (opened) s = s f "\t" v "\n"
    }
    s = s "/proc/self/exe\t" (exe != "" ? exe : "<absent>") "\n"
    v = text(dir "/envout." p, 0)
    s = s (v != "" ? v : "/proc/self/environ\t<unreadable>\n")
    return s YAML[p]
}
NR <= from + 0 { next }
$1 == "c" {
    at("container-cgroup", $2)
    s = cgroup($3)
    if (why != "") unavailable("container-cgroup", $2, why)
    else {
        emit("container-cgroup", $2, s)
        # after an OOM kill, Dask'"'"'s nanny logs "Worker process N was killed by signal 9": the caller keeps those lines
        if (s ~ /\noom_kill [1-9]/) print $2 > (dir "/logs")
    }
    next
}
$1 == "u" { unavailable("container-cgroup", $2, "container is not running (pid " $3 ")"); next }
$1 == "p" {
    exe = $0; for (i = 1; i <= 5; i++) exe = after(exe, "\t")
    at("process", $2 "/" $3)
    emit("process", $2 "/" $3, process($3, $5))
    at("dask-view", $2 "/" $3)
    emit("dask-view", $2 "/" $3, view($3, $4, exe))
}'
# <<< sections

if [ -n "$IDS" ] && [ -s "$T/inspect" ]; then
    [ -z "$CAND" ] || cmdlines 2>/dev/null
    # "<id> <pid>" lines, both validated
    sed -n 's/^{"Id":"\([0-9a-f]\{12,64\}\)".*"Pid":\([0-9][0-9]*\),.*/\1 \2/p' "$T/inspect" >"$T/pids"
    # "<id> <pid> <candidate pid>..." per container: the candidates that share the container's
    # memory cgroup (v1 memory line or v2 "0::" line), all matched by one awk; tried again (at most
    # twice) when it stops, as mawk does at a read error (a candidate reaped between open and read)
    for _try in 1 2 3; do
    awk -v cand="$CAND" '
        function keys(pid,   f, line, a, k) {
            k = ""; f = "/proc/" pid "/cgroup"
            while ((getline line < f) > 0) {
                split(line, a, ":")
                if (a[2] ~ /(^|,)memory(,|$)/ || (a[1] == "0" && a[2] == "")) k = k "\n" a[2] ":" a[3]
            }
            close(f)
            return k
        }
        BEGIN { nc = split(cand, cp, " "); for (i = 1; i <= nc; i++) ck[i] = keys(cp[i]) }
        {
            out = $1 " " $2
            if ($2 + 0 > 0) {
                split("", want); nw = split(keys($2), w, "\n")
                for (j = 1; j <= nw; j++) if (w[j] != "") want[w[j]] = 1
                for (i = 1; i <= nc; i++) {
                    nk = split(ck[i], kk, "\n")
                    for (j = 1; j <= nk; j++) if (kk[j] != "" && (kk[j] in want)) { out = out " " cp[i]; break }
                }
            }
            print out
        }' "$T/pids" >"$T/match" 2>/dev/null && break
    done
    # the environments of the processes found in containers (not of every candidate on the host)
    _eps=""
    while read -r _id _pid _procs; do _eps="$_eps $_procs"; done <"$T/match"
    [ -z "$_eps" ] || environs $_eps 2>/dev/null
    sections_plan
    : >"$T/logs"
    sections
    while read -r _id; do emit_small dask-log "$_id" dask_log "$_id"; done <"$T/logs"

    # compose files named by the labels (paths come from remote data: always quoted)
    compose_labels "$T/inspect" | sort -u >"$T/compose"
    # the files already framed, one per line (quoted in the patterns below: a path is never a glob)
    _seen="
"
    _tab=$(printf '\t')
    while IFS=$_tab read -r _k _wd _files; do
        _wd=${_wd#\"}; _wd=${_wd%\"}
        _files=${_files#\"}; _files=${_files%\"}
        if [ "$_k" != ok ]; then
            unavailable compose-file "$_wd" "the compose labels of container $_wd hold a JSON escape the probe does not pass on (a control character?)"
            continue
        fi
        [ -n "$_files" ] || continue
        _old_ifs=$IFS; IFS=,
        set -f  # split on commas only: a glob in a label is a file name, never expanded
        for _f in $_files; do
            IFS=$_old_ifs
            case "$_f" in /*) ;; *) _f="$_wd/$_f" ;; esac
            case "$_seen" in *"
$_f
"*) continue ;; esac
            _seen="$_seen$_f
"
            emit_text compose-file "$_f" compose_text "$_f" "$T/masked"
        done
        set +f
        IFS=$_old_ifs
        case "$_seen" in *"
$_wd/.env
"*) _new=0 ;; *) _new=1 ;; esac
        if [ -n "$_wd" ] && [ "$_new" = 1 ]; then
            _seen="$_seen$_wd/.env
"
            if [ -e "$_wd/.env" ]; then
                emit_small dotenv "$_wd/.env" dotenv_lines "$_wd/.env"
            else
                unavailable dotenv "$_wd/.env" "no .env file in the compose working directory"
            fi
        fi
    done <"$T/compose"
fi

echo "==HR:$NONCE:done version=$PROBE_VERSION"
