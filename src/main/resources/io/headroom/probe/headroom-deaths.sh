# Headroom deaths evidence — POSIX sh, read-only, run on demand only (`headroom deaths`, never in a
# scan or a live refresh; issue 20, decision 0026). Run as: sh -s -- NONCE CAP_BYTES SUDO SINCE_SECONDS
# DeathScript prepends the probe's framing functions (emit, end_truncated, ...) and its mask block:
# every log line that leaves the VM goes through the same secret masking as the probe's output.
# Caps: each section at CAP_BYTES, kernel lines at 300, each container's log at the last 20000 lines
# read and 300 kept, at most 40 Dask containers. Container ids are validated as hex; nothing remote is
# evaluated by the shell.

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
        run_docker inspect --format '{{.Id}} {{.HostConfig.LogConfig.Type}} {{.Path}} {{.Args}}' $IDS 2>/dev/null \
            | grep -E 'dask|distributed' | awk '{ print $1, $2 }' | grep -E '^[0-9a-f]{12,64} [A-Za-z0-9_.-]+$' | head -n 40 >"$T/dask"
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
        while read -r _id _drv; do
            emit dask-log "$_id" dask_log "$_id" "$_drv"
        done <"$T/dask"
    fi
fi
echo "==HR:$NONCE:done version=$PROBE_VERSION"
