# Headroom deaths evidence — POSIX sh, read-only, run on demand only (`headroom deaths`, never in a
# scan or a live refresh; issue 20, decision 0026). Run as: sh -s -- NONCE CAP_BYTES SUDO SINCE_SECONDS
# DeathScript prepends the probe's framing functions (emit, end_truncated, ...) and its mask block:
# every log line that leaves the VM goes through the same secret masking as the probe's output.
# Caps: each section at CAP_BYTES, kernel lines at 300, each container's log at the last 20000 lines
# read and 300 kept, at most 40 Dask containers, engine events 300, boot-unit journal 50 lines each.
# Container ids are validated as hex, pids as digits; nothing remote is evaluated by the shell.
# Sections: kernel-oom-iso, engine-state, dask-log <id>, memory-events <id>, engine-events, boot-unit <unit>.

# on demand, so each engine call may take longer than the probe's 15 s: a loaded or emulated VM's docker CLI needs it
if have timeout; then TO="timeout 60"; fi
SINCE_EPOCH=${4:-0}
SINCE_ISO=${5:-1970-01-01T00:00:00Z}

# ---- kernel log with wall-clock time: dmesg --time-format iso, else journalctl -k -o short-iso ----
OOM_RE='out of memory|oom-kill|killed process|invoked oom-killer'
kernel_oom_iso() {
    if dmesg --time-format iso >"$T/dmesg" 2>/dev/null && [ -s "$T/dmesg" ]; then
        echo "source dmesg-iso"
        grep -iE "$OOM_RE" "$T/dmesg" | tail -n 300
    elif [ "$SUDO_MODE" != never ] && have sudo && sudo -n dmesg --time-format iso >"$T/dmesg" 2>/dev/null && [ -s "$T/dmesg" ]; then
        echo "source sudo-dmesg-iso"
        grep -iE "$OOM_RE" "$T/dmesg" | tail -n 300
    elif have journalctl && journalctl -k -q --no-pager -n 1 >/dev/null 2>&1; then
        echo "source journalctl-short-iso"
        journalctl -k -q --no-pager -o short-iso --since "@$SINCE_EPOCH" 2>/dev/null | grep -iE "$OOM_RE" | tail -n 300
    elif dmesg >"$T/dmesg" 2>/dev/null; then
        echo "source dmesg-monotonic"
        grep -iE "$OOM_RE" "$T/dmesg" | tail -n 300
    else
        echo "kernel log not readable: dmesg and journalctl -k both denied for uid $(id -u)" >&2
        return 1
    fi
}
emit kernel-oom-iso - kernel_oom_iso

# ---- engine: every container (running or not), its State, and which run Dask ----
DOCKER=""
if have docker; then
    if [ "$SUDO_MODE" != always ] && $TO docker ps -a --no-trunc -q >"$T/ids" 2>"$T/derr"; then
        DOCKER="docker"
    elif [ "$SUDO_MODE" != never ] && have sudo && $TO sudo -n docker ps -a --no-trunc -q >"$T/ids" 2>"$T/derr"; then
        DOCKER="sudo -n docker"
    fi
fi
run_docker() { $TO $DOCKER "$@"; }
if [ -z "$DOCKER" ]; then
    unavailable engine-state - "docker CLI did not answer: $(head -c 300 "$T/derr" 2>/dev/null | tr '\n' ' ')"
else
    IDS=$(grep -E '^[0-9a-f]{12,64}$' "$T/ids" | head -n 200 | tr '\n' ' ')
    if [ -n "$IDS" ]; then
        STATE_FORMAT='{"Id":{{json .Id}},"Name":{{json .Name}},"Status":{{json .State.Status}},"OOMKilled":{{json .State.OOMKilled}},"ExitCode":{{json .State.ExitCode}},"StartedAt":{{json .State.StartedAt}},"FinishedAt":{{json .State.FinishedAt}},"RestartCount":{{json .RestartCount}},"LogDriver":{{json .HostConfig.LogConfig.Type}}}'
        # shellcheck disable=SC2086
        run_docker inspect --format "$STATE_FORMAT" $IDS >"$T/states" 2>"$T/serr"
        emit engine-state - readfile "$T/states"
        # Dask containers: the command line names dask or distributed (read here, never sent)
        # shellcheck disable=SC2086
        run_docker inspect --format '{{.Id}} {{.State.Pid}} {{.HostConfig.LogConfig.Type}} {{.Path}} {{.Args}}' $IDS 2>/dev/null \
            | grep -E 'dask|distributed' | awk '{ print $1, $2, $3 }' | grep -E '^[0-9a-f]{12,64} [0-9]{1,10} [A-Za-z0-9_.-]+$' \
            | head -n 40 >"$T/dask"
        # memory_events PID: the memory-cgroup event counters of the container whose first process is PID,
        # v2 memory.events (oom, oom_kill, max, high), v1 memory.failcnt and memory.oom_control
        memory_events() {
            _v1=""; _v2=""
            while IFS= read -r _l; do
                _h=${_l%%:*}; _rest=${_l#*:}; _ctl=${_rest%%:*}; _path=${_rest#*:}
                case ",$_ctl," in *,memory,*) [ -n "$_v1" ] || _v1=$_path ;; esac
                if [ "$_h" = 0 ] && [ -z "$_ctl" ] && [ -z "$_v2" ]; then _v2=$_path; fi
            done <"/proc/$1/cgroup" || return 1
            if [ -n "$_v1" ] && [ -n "$V1MEM" ] && [ -r "$V1MEM$_v1/memory.failcnt" ]; then
                echo "dir v1 $V1MEM$_v1"
                printf 'failcnt '; catsmall "$V1MEM$_v1/memory.failcnt"
                catsmall "$V1MEM$_v1/memory.oom_control"
            elif [ -n "$_v2" ] && [ -n "$V2MNT" ] && [ -r "$V2MNT$_v2/memory.events" ]; then
                echo "dir v2 $V2MNT$_v2"
                catsmall "$V2MNT$_v2/memory.events"
            else
                echo "no memory cgroup counters for pid $1" >&2
                return 1
            fi
        }
        DASK_RE='memory budget|was killed by|Worker process [0-9]+ exited|Pausing worker|Resuming worker|Unmanaged memory use is high|marked as failed because'
        dask_log() {
            # the last 20000 lines since SINCE, only Dask's memory lines, masked like the probe's output
            run_docker logs --timestamps --since "$SINCE_ISO" --tail 20000 "$1" >"$T/log" 2>&1
            _lrc=$?
            if [ "$_lrc" != 0 ]; then
                echo "docker logs refused (log driver $2): $(head -c 200 "$T/log" | tr '\n' ' ')" >&2
                return 1
            fi
            _n=$(wc -l <"$T/log")
            [ "$_n" -lt 20000 ] || echo "cut: the last 20000 lines were read"
            cut -c1-2000 "$T/log" | grep -aE "$DASK_RE" | tail -n 300 | mask_secrets
        }
        while read -r _id _pid _drv; do
            emit dask-log "$_id" dask_log "$_id" "$_drv"
            if [ "$_pid" -gt 0 ] 2>/dev/null; then
                emit_small memory-events "$_id" memory_events "$_pid"
            else
                unavailable memory-events "$_id" "container is not running (pid $_pid)"
            fi
        done <"$T/dask"
    fi
    # the engine's own record of OOMs and exits since SINCE (every exit, not only the last FinishedAt);
    # --until makes it end, the timeout makes sure it does
    engine_events() {
        run_docker events --since "$SINCE_EPOCH" --until "$(date +%s)" --filter event=oom --filter event=die \
            --format '{{.TimeNano}} {{.Action}} {{.Actor.ID}} {{index .Actor.Attributes "exitCode"}} {{index .Actor.Attributes "name"}}' \
            >"$T/events" 2>"$T/eerr"
        _erc=$?
        if [ "$_erc" = 124 ]; then
            echo "docker events did not end within 60 s" >&2
            return 1
        elif [ "$_erc" != 0 ]; then
            head -c 300 "$T/eerr" | tr '\n' ' ' >&2
            return 1
        fi
        grep -aE '^[0-9]{1,20} [a-z_]{1,20} [0-9a-f]{12,64} ' "$T/events" | cut -c1-400 | tail -n 300
    }
    emit engine-events - engine_events
fi

# ---- the boot unit that writes AVAILABLE_MEMORY_FOR_DASK (headroom boot-snippet --unit), and the compose unit
# that recreates the containers with it: whether each is installed, ran at this boot, and what it wrote ----
boot_unit() {
    if ! have systemctl || [ ! -d /run/systemd/system ]; then
        echo "no systemd on this VM: boot units not read" >&2
        return 1
    fi
    # --timestamp=utc (systemd >= 248) gives times a parser can trust; older ones print local time
    _p="-p LoadState -p ActiveState -p Result -p ExecMainStatus -p ExecMainStartTimestamp"
    # shellcheck disable=SC2086
    { $TO systemctl show "$1" $_p --timestamp=utc 2>/dev/null || $TO systemctl show "$1" $_p 2>/dev/null; } | head -n 10
    echo "--- journal"
    _j="journalctl -u $1 -b 0 -q --no-pager -o short-iso"
    if [ "$SUDO_MODE" != always ] && $TO $_j -n 50 >"$T/unit" 2>/dev/null && [ -s "$T/unit" ]; then :
    elif [ "$SUDO_MODE" != never ] && have sudo && $TO sudo -n $_j -n 50 >"$T/unit" 2>/dev/null; then :
    else : >"$T/unit"; fi
    cut -c1-1000 "$T/unit" | tail -n 50 | mask_secrets
}
# boot_units DIR: the two units boot-snippet writes, then up to 6 units in DIR (renamed ones, or the operator's own)
# whose file names the variable, boot-snippet's script or its unit's description (a compose unit names only the memory
# unit, so it is not taken for one); names of unit-name characters only
boot_units() {
    echo headroom-dask-memory.service
    echo headroom-dask-compose.service
    [ -d "$1" ] || return 0
    grep -lsE 'AVAILABLE_MEMORY_FOR_DASK|headroom-dask-memory[.]sh|MemAvailable for Dask' "$1"/*.service 2>/dev/null | head -n 40 |
        sed 's|.*/||' | grep -E '^[A-Za-z0-9@_.:-]{1,100}[.]service$' |
        grep -vxE 'headroom-dask-(memory|compose)[.]service' | head -n 6
}
for _u in $(boot_units /etc/systemd/system); do
    emit boot-unit "$_u" boot_unit "$_u"
done
echo "==HR:$NONCE:done version=$PROBE_VERSION"
