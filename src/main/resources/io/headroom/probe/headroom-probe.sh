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

T=$(mktemp -d 2>/dev/null || echo "/tmp/headroom-probe.$$")
mkdir -p "$T" 2>/dev/null
chmod 700 "$T" 2>/dev/null
trap 'rm -rf "$T"' EXIT INT TERM HUP

have() { command -v "$1" >/dev/null 2>&1; }

if have timeout; then TO="timeout 15"; else TO=""; fi

# emit NAME ARG CMD...  — runs CMD with output capped, framed as a section.
emit() {
    _name=$1; _arg=$2; shift 2
    echo "==HR:$NONCE:begin $_name $_arg"
    { "$@" 2>"$T/err"; echo $? >"$T/rc"; } | head -c $((CAP + 1)) >"$T/out"
    _rc=$(cat "$T/rc" 2>/dev/null || echo 1)
    _size=$(wc -c <"$T/out" | tr -d ' ')
    if [ "$_size" -gt "$CAP" ]; then
        head -c "$CAP" "$T/out"
        echo
        echo "==HR:$NONCE:end $_name status=truncated cap=$CAP"
    elif [ "$_rc" = 0 ]; then
        cat "$T/out"
        # guarantee the end marker starts on its own line
        if [ "$_size" -gt 0 ] && [ -n "$(tail -c 1 "$T/out")" ]; then echo; fi
        echo "==HR:$NONCE:end $_name status=ok"
    else
        _reason=$(head -c 400 "$T/err" | tr '\n' ' ')
        [ -n "$_reason" ] || _reason="exit status $_rc"
        echo "==HR:$NONCE:end $_name status=unavailable $_reason"
    fi
}

unavailable() {
    echo "==HR:$NONCE:begin $1 $2"
    echo "==HR:$NONCE:end $1 status=unavailable $3"
}

readfile() { cat -- "$1"; }

# ---- host ----
probe_meta() {
    echo "version=$PROBE_VERSION"
    echo "epoch=$(date +%s)"
    echo "uid=$(id -u)"
    echo "hostname=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"
    echo "kernel=$(uname -r)"
    echo "machine=$(uname -m)"
    _n=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo)
    echo "cpus=$_n"
    [ -n "${AVAILABLE_MEMORY_FOR_DASK+x}" ] && printf 'env.AVAILABLE_MEMORY_FOR_DASK=%s\n' "$AVAILABLE_MEMORY_FOR_DASK"
    return 0
}

emit meta - probe_meta
emit meminfo - readfile /proc/meminfo
emit mountinfo - grep -E ' - (cgroup|cgroup2) ' /proc/self/mountinfo

environment_file() {
    if [ -r /etc/environment ]; then grep -E '^[[:space:]]*(export[[:space:]]+)?AVAILABLE_MEMORY_FOR_DASK=' /etc/environment || true; fi
}
emit etc-environment - environment_file

# ---- kernel log: OOM-killer lines, bounded tail ----
kernel_oom() {
    if dmesg >/dev/null 2>&1; then
        dmesg 2>/dev/null | grep -iE 'out of memory|oom-kill|oom_reaper|killed process|invoked oom-killer' | tail -n 200
    elif have journalctl && journalctl -k -q --no-pager -n 1 >/dev/null 2>&1; then
        journalctl -k -q --no-pager -o short-monotonic 2>/dev/null | grep -iE 'out of memory|oom-kill|oom_reaper|killed process|invoked oom-killer' | tail -n 200
    else
        echo "kernel log not readable: dmesg and journalctl -k both denied for uid $(id -u)" >&2
        return 1
    fi
}
emit kernel-oom - kernel_oom

# ---- containers ----
DOCKER=""
docker_try() {
    # docker_try PREFIX... : succeed when `PREFIX docker version` answers
    $TO "$@" docker ps -q >/dev/null 2>"$T/derr"
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
    run_docker logs --tail 2000 "$1" 2>&1 | grep -E 'was killed by signal|Worker process [0-9]+ (was killed|exited)' | tail -n 20 || true
}
docker_env() {
    run_docker inspect --format '{{$id := .Id}}{{range .Config.Env}}{{$id}} {{println .}}{{end}}' "$@" \
        | grep -E '^[0-9a-f]+ (DASK_|AVAILABLE_MEMORY_FOR_DASK=|MALLOC_TRIM_THRESHOLD_=|OMP_NUM_THREADS=)' || true
}

if [ -z "$DOCKER" ]; then
    if have docker; then
        _why=$(head -c 300 "$T/derr" 2>/dev/null | tr '\n' ' ')
        unavailable docker-ps - "docker CLI did not answer: ${_why:-unknown error}"
    else
        unavailable docker-ps - "docker CLI not found in PATH"
    fi
else
    emit docker-ps - run_docker ps --no-trunc -q
fi

# Only ids made of hex digits are ever used further.
IDS=""
if [ -n "$DOCKER" ] && [ -s "$T/out" ]; then
    IDS=$(grep -E '^[0-9a-f]{12,64}$' "$T/out" | head -n 500 | tr '\n' ' ')
fi

if [ -n "$IDS" ]; then
    INSPECT_FORMAT='{"Id":{{json .Id}},"Name":{{json .Name}},"Image":{{json .Config.Image}},"Path":{{json .Path}},"Args":{{json .Args}},"Pid":{{json .State.Pid}},"Status":{{json .State.Status}},"StartedAt":{{json .State.StartedAt}},"OOMKilled":{{json .State.OOMKilled}},"RestartCount":{{json .RestartCount}},"Memory":{{json .HostConfig.Memory}},"MemoryReservation":{{json .HostConfig.MemoryReservation}},"MemorySwap":{{json .HostConfig.MemorySwap}},"NanoCpus":{{json .HostConfig.NanoCpus}},"CgroupParent":{{json .HostConfig.CgroupParent}},"ComposeProject":{{json (index .Config.Labels "com.docker.compose.project")}},"ComposeService":{{json (index .Config.Labels "com.docker.compose.service")}},"ComposeWorkingDir":{{json (index .Config.Labels "com.docker.compose.project.working_dir")}},"ComposeConfigFiles":{{json (index .Config.Labels "com.docker.compose.project.config_files")}}}'
    # shellcheck disable=SC2086
    emit docker-inspect - run_docker inspect --format "$INSPECT_FORMAT" $IDS
    cp "$T/out" "$T/inspect" 2>/dev/null
    # Only Dask-relevant variables leave the VM: other values may be secrets.
    # shellcheck disable=SC2086
    emit docker-env - docker_env $IDS
fi

# ---- cgroup helpers ----
# mount point of the v1 memory controller and of the v2 hierarchy, from mountinfo
V1MEM=$(awk '$0 ~ / - cgroup / { n=split($NF, o, ","); for (i=1;i<=n;i++) if (o[i]=="memory") { print $5; exit } }' /proc/self/mountinfo 2>/dev/null)
V1CPU=$(awk '$0 ~ / - cgroup / { n=split($NF, o, ","); for (i=1;i<=n;i++) if (o[i]=="cpu") { print $5; exit } }' /proc/self/mountinfo 2>/dev/null)
V2MNT=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo 2>/dev/null)

cgroup_files_v1() {
    _d=$1
    for _f in memory.limit_in_bytes memory.soft_limit_in_bytes memory.usage_in_bytes memory.max_usage_in_bytes memory.memsw.limit_in_bytes memory.oom_control memory.stat; do
        if [ -r "$_d/$_f" ]; then echo "--- $_f"; head -c 16384 "$_d/$_f"; else echo "--- $_f unavailable"; fi
    done
}
cgroup_files_v2() {
    _d=$1
    for _f in memory.max memory.high memory.low memory.min memory.current memory.peak memory.swap.max memory.events memory.stat cpu.max; do
        if [ -r "$_d/$_f" ]; then echo "--- $_f"; head -c 16384 "$_d/$_f"; else echo "--- $_f unavailable"; fi
    done
}

# container_cgroup PID : the host-side memory cgroup files of the container whose main pid is PID
container_cgroup() {
    _pid=$1
    echo "--- /proc/$_pid/cgroup"
    cat "/proc/$_pid/cgroup" || return 1
    _v1=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' "/proc/$_pid/cgroup")
    _v2=$(awk -F: '$1 == "0" && $2 == "" { print $3; exit }' "/proc/$_pid/cgroup")
    if [ -n "$_v1" ] && [ -n "$V1MEM" ]; then
        echo "--- dir v1 $V1MEM$_v1"
        cgroup_files_v1 "$V1MEM$_v1"
        _c=$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ { print $3; exit }' "/proc/$_pid/cgroup")
        if [ -n "$_c" ] && [ -n "$V1CPU" ]; then
            for _f in cpu.cfs_quota_us cpu.cfs_period_us; do
                [ -r "$V1CPU$_c/$_f" ] && { echo "--- $_f"; cat "$V1CPU$_c/$_f"; }
            done
        fi
    elif [ -n "$_v2" ] && [ -n "$V2MNT" ]; then
        echo "--- dir v2 $V2MNT$_v2"
        cgroup_files_v2 "$V2MNT$_v2"
    else
        echo "no memory cgroup found for pid $_pid" >&2
        return 1
    fi
    return 0
}

# dask_view PID : the files exactly as a process in the container reads them (through its root),
# which is what distributed.system.memory_limit() and dask.system.cpu_count() open.
dask_view() {
    _r="/proc/$1/root"
    for _f in /proc/meminfo /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.soft_limit_in_bytes \
              /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.high /sys/fs/cgroup/memory.low \
              /sys/fs/cgroup/cpuacct,cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpuacct,cpu/cpu.cfs_period_us \
              /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us \
              /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu.max; do
        if [ "$_f" = /proc/meminfo ]; then
            _v=$(grep -E '^(MemTotal|MemAvailable):' "$_r$_f" 2>/dev/null | tr '\n' ';')
        else
            _v=$(head -c 64 "$_r$_f" 2>/dev/null | tr '\n' ' ')
        fi
        if [ -e "$_r$_f" ]; then printf '%s\t%s\n' "$_f" "$_v"; else printf '%s\t<absent>\n' "$_f"; fi
    done
}

# processes: one grep over all cmdlines finds Dask and multiprocessing children
CAND=""
if [ -n "$IDS" ]; then
    CAND=$(grep -l -a -E 'dask|distributed|spawn_main|forkserver' /proc/[0-9]*/cmdline 2>/dev/null | sed -n 's#^/proc/\([0-9][0-9]*\)/cmdline$#\1#p' | head -n 2000 | tr '\n' ' ')
fi

process_facts() {
    _p=$1
    echo "--- cmdline"
    tr '\0' '\n' <"/proc/$_p/cmdline"
    echo
    echo "--- status"
    grep -E '^(Name|PPid|NSpid|Cpus_allowed_list|VmRSS|Uid):' "/proc/$_p/status"
    echo "--- limits"
    grep -E '^Max resident set' "/proc/$_p/limits"
    echo "--- cgroup"
    cat "/proc/$_p/cgroup"
    echo "--- dask-versions"
    _root="/proc/$_p/root"
    for _d in "$_root"/usr/lib/python3/dist-packages "$_root"/usr/lib/python3*/site-packages "$_root"/usr/lib/python3*/dist-packages \
              "$_root"/usr/local/lib/python3*/site-packages "$_root"/usr/local/lib/python3*/dist-packages \
              "$_root"/opt/conda/lib/python3*/site-packages "$_root"/opt/conda/envs/*/lib/python3*/site-packages \
              "$_root"/home/*/.local/lib/python3*/site-packages "$_root"/root/.local/lib/python3*/site-packages \
              "$_root"/venv/lib/python3*/site-packages "$_root"/opt/*/lib/python3*/site-packages; do
        for _m in "$_d"/distributed-*.dist-info "$_d"/distributed-*.egg-info; do
            [ -e "$_m" ] && printf '%s\n' "${_m#$_root}"
        done
    done
    return 0
}

if [ -n "$IDS" ] && [ -s "$T/inspect" ]; then
    # "<id> <pid>" lines, both validated
    sed -n 's/^{"Id":"\([0-9a-f]\{12,64\}\)".*"Pid":\([0-9][0-9]*\),.*/\1 \2/p' "$T/inspect" >"$T/pids"
    while read -r _id _pid; do
        if [ "$_pid" -gt 0 ] 2>/dev/null; then
            emit container-cgroup "$_id" container_cgroup "$_pid"
            # after an OOM kill, Dask's nanny logs "Worker process N was killed by signal 9": keep those lines
            if grep -qE '^oom_kill [1-9]' "$T/out" 2>/dev/null; then
                emit dask-log "$_id" dask_log "$_id"
            fi
            # the container's own cgroup lines, to match processes
            awk -F: '$2 ~ /(^|,)memory(,|$)/ || ($1 == "0" && $2 == "") { print $2 ":" $3 }' "/proc/$_pid/cgroup" 2>/dev/null >"$T/cg"
            for _p in $CAND; do
                [ -r "/proc/$_p/cgroup" ] || continue
                if awk -F: 'NR == FNR { want[$0] = 1; next } ($2 ~ /(^|,)memory(,|$)/ || ($1 == "0" && $2 == "")) && (($2 ":" $3) in want) { found = 1 } END { exit !found }' "$T/cg" "/proc/$_p/cgroup" 2>/dev/null; then
                    emit process "$_id/$_p" process_facts "$_p"
                    emit dask-view "$_id/$_p" dask_view "$_p"
                fi
            done
        else
            unavailable container-cgroup "$_id" "container is not running (pid $_pid)"
        fi
    done <"$T/pids"

    # compose files named by the labels (paths come from remote data: always quoted)
    sed -n 's/^{"Id":"\([0-9a-f]\{12,64\}\)".*"ComposeWorkingDir":\("[^"]*"\),"ComposeConfigFiles":\("[^"]*"\)}$/\2\t\3/p' "$T/inspect" | sort -u >"$T/compose"
    : >"$T/seen"
    while IFS="$(printf '\t')" read -r _wd _files; do
        _wd=${_wd#\"}; _wd=${_wd%\"}
        _files=${_files#\"}; _files=${_files%\"}
        [ -n "$_files" ] || continue
        _old_ifs=$IFS; IFS=,
        set -f  # split on commas only: a glob in a label is a file name, never expanded
        for _f in $_files; do
            IFS=$_old_ifs
            case "$_f" in /*) ;; *) _f="$_wd/$_f" ;; esac
            grep -qxF -- "$_f" "$T/seen" && continue
            printf '%s\n' "$_f" >>"$T/seen"
            emit compose-file "$_f" sh -c 'sha256sum -- "$1" | cut -d" " -f1 && cat -- "$1"' sh "$_f"
        done
        set +f
        IFS=$_old_ifs
        if [ -n "$_wd" ] && ! grep -qxF -- "$_wd/.env" "$T/seen"; then
            printf '%s\n' "$_wd/.env" >>"$T/seen"
            if [ -e "$_wd/.env" ]; then
                emit dotenv "$_wd/.env" sh -c 'grep -E "^[[:space:]]*(export[[:space:]]+)?AVAILABLE_MEMORY_FOR_DASK[[:space:]]*=" -- "$1" || true' sh "$_wd/.env"
            else
                unavailable dotenv "$_wd/.env" "no .env file in the compose working directory"
            fi
        fi
    done <"$T/compose"
fi

echo "==HR:$NONCE:done version=$PROBE_VERSION"
