# Headroom live refresh - POSIX sh, read-only (issue 15, docs/decisions/0031).
# Run as: sh -s -- NONCE ID V DIR [ID V DIR]...   (ids: 64 hex; V: 1 or 2; dirs: cgroup paths that
# Headroom validated and single-quoted: no space, quote or glob character can reach this script).
# Reads only what changes between two scans: /proc/meminfo and each known container's memory.stat
# through ONE grep (the only fork: dash's read builtin takes one syscall per byte, and memory.stat is
# the big file), the small memory files with the read builtin, and the names beside each container's
# cgroup (a glob, no fork), so the caller can tell that containers came or went and run the full probe.
N=$1; shift
set -f
S=""
for a in "$@"; do case "$a" in /*) S="$S $a/memory.stat" ;; esac; done
printf '==HR:%s:begin grep -\n' "$N"
grep -H -E '^([A-Z]|(total_)?inactive_file )' /proc/meminfo $S 2>/dev/null
printf '==HR:%s:end grep status=ok\n' "$N"
f() {
    if [ -r "$1/$2" ]; then
        echo "--- $2"
        while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' "$l"; done <"$1/$2"
    else
        echo "--- $2 unavailable"
    fi
}
P=" "
while [ $# -ge 3 ]; do
    printf '==HR:%s:begin container-cgroup %s\n' "$N" "$1"
    if [ -d "$3/" ]; then
        echo "--- dir v$2 $3"
        if [ "$2" = 1 ]; then
            for x in memory.limit_in_bytes memory.soft_limit_in_bytes memory.usage_in_bytes memory.max_usage_in_bytes memory.memsw.limit_in_bytes memory.oom_control; do f "$3" "$x"; done
        else
            for x in memory.max memory.high memory.low memory.min memory.current memory.peak memory.swap.max memory.events cpu.max; do f "$3" "$x"; done
        fi
        printf '==HR:%s:end container-cgroup status=ok\n' "$N"
    else
        printf '==HR:%s:end container-cgroup status=unavailable gone\n' "$N"
    fi
    case "$P" in *" ${3%/*} "*) ;; *) P="$P${3%/*} " ;; esac
    shift 3
done
set +f
printf '==HR:%s:begin siblings -\n' "$N"
for p in $P; do for x in "$p"/*; do [ -d "$x" ] && printf '%s\n' "${x##*/}"; done; done
printf '==HR:%s:end siblings status=ok\n==HR:%s:done version=1\n' "$N" "$N"
