# Shared helpers for lab/capture-fixtures*: snapshot real files and command
# output into $OUT, mirroring host paths, and record each file's command.
# Callers set OUT and call cap_init first; docker commands use DOCKER_HOST.

MEMFILES=(memory.limit_in_bytes memory.soft_limit_in_bytes memory.usage_in_bytes
          memory.max_usage_in_bytes memory.failcnt memory.stat memory.oom_control
          memory.memsw.limit_in_bytes memory.memsw.usage_in_bytes memory.use_hierarchy
          memory.swappiness)

cap_init() {
  rm -rf "$OUT"; mkdir -p "$OUT"
  README_ROWS=$(mktemp); SCEN_ROWS=""
}

row() { printf '| `%s` | `%s` |\n' "$1" "$2" >>"$README_ROWS"; }

cap() {  # cap RELPATH 'shell command'   (output kept byte-for-byte)
  mkdir -p "$(dirname "$OUT/$1")"
  bash -c "$2" >"$OUT/$1" 2>&1 || true
  row "$1" "$2"
}

cap_cgroup() {  # cap_cgroup /sys/fs/cgroup/memory/<path>
  local f
  for f in "${MEMFILES[@]}"; do
    if [ -e "$1/$f" ]; then cap "${1#/}/$f" "cat $1/$f"; fi
  done
}

memcg_of() { awk -F: '$2=="memory"{print $3}' "/proc/$1/cgroup" 2>/dev/null; }

cap_host() {
  cap proc/meminfo 'cat /proc/meminfo'
  cap proc/self/mountinfo 'cat /proc/self/mountinfo'
  cap proc/self/cgroup 'cat /proc/self/cgroup'
  cap uname-r.txt 'uname -r'
  cap nproc.txt 'nproc'
  cap docker/version.json "docker version --format '{{json .}}'"
  cap docker/ps-no-trunc-ids.txt "docker ps --no-trunc --format '{{.ID}}'"
  cap docker/ps-a.txt "docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Status}}'"
  cap docker/inspect-all-running.json 'docker inspect $(docker ps -q --no-trunc)'
}

cap_container() {  # cap_container NAME : inspect, cgroup files, its processes
  local c=$1 id pid cgpath p f pids=""
  id=$(docker inspect -f '{{.Id}}' "$c"); pid=$(docker inspect -f '{{.State.Pid}}' "$c")
  cgpath=$(memcg_of "$pid")
  cap "docker/inspect/$c.json" "docker inspect $id"
  cap_cgroup "/sys/fs/cgroup/memory$cgpath"
  cap "proc/$pid/mountinfo" "cat /proc/$pid/mountinfo"
  for p in $(ls /proc | grep -E '^[0-9]+$' | sort -n); do
    [ "$(memcg_of "$p")" = "$cgpath" ] || continue
    pids="$pids $p"
    for f in cgroup limits cmdline status; do cap "proc/$p/$f" "cat /proc/$p/$f"; done
  done
  SCEN_ROWS="$SCEN_ROWS| $c | \`${id:0:12}\` | $pid | $(echo $pids) | \`$cgpath\` |"$'\n'
}

cap_kernel_log() {
  cap kernel-log/dmesg-oom.txt "dmesg | grep -iE 'invoked oom-killer|oom-kill:|Memory cgroup out of memory|memory: usage|memory\\+swap|kmem:'"
  cap kernel-log/dmesg-tail.txt 'dmesg | tail -n 30'
  cap kernel-log/availability.txt 'for c in "dmesg" "journalctl -k -n 5 --no-pager" "cat /var/log/kern.log"; do echo "\$ $c | tail -n 2"; sh -c "$c" >/tmp/hr-klog 2>&1; rc=$?; tail -n 2 /tmp/hr-klog; echo "exit=$rc"; done; rm -f /tmp/hr-klog; echo "dmesg_restrict=$(cat /proc/sys/kernel/dmesg_restrict)"'
}

fetch() { python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=5).read())' "$1"; }

nworkers() {  # nworkers URL-of-identity.json
  fetch "$1" 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["workers"]))' 2>/dev/null || echo 0
}

# Python run in a client container: submit a task that allocates 400 MiB at
# once to the worker named $1, give up after 30 s (it keeps being OOM-killed).
oom_client_py() {
  cat <<PY
import distributed
c = distributed.Client("$2", timeout=30)
def hog():
    b = bytearray(400 * 2**20)
    for i in range(0, len(b), 4096): b[i] = 1
    return len(b)
f = c.submit(hog, workers=["$1"], allow_other_workers=False, retries=0, pure=False)
try:
    print("result", f.result(timeout=30))
except Exception as e:
    print("task did not finish:", type(e).__name__, e)
c.close()
PY
}

write_files_table() {
  printf '\n## Files and the commands that produced them\n\n| file | command |\n| --- | --- |\n'
  cat "$README_ROWS"; rm -f "$README_ROWS"
}

write_index() {  # $1 = captured/ root
  cat >"$1/README.md" <<'IDX'
# Captured fixtures (real outputs)

Two snapshots of the same machine (Debian 12, kernel 6.18, cgroup v1 hybrid,
2 CPUs, Dask/distributed 2022.12.1 from Debian), each a fake filesystem root
(`proc/...`, `sys/fs/cgroup/memory/...`) plus `docker/`, `dask/` and
`kernel-log/` output; every folder's README.md lists each file with the
command that produced it.

- `podman/` - root podman 4.3.1 behind the docker 28 CLI (the lab's engine,
  `lab/up`); containers live in `/libpod_parent/libpod-<id>`.
  Made by `lab/capture-fixtures`.
- `dockerd/` - a real Docker Engine (Debian docker.io 20.10.24), host
  networking; containers live in `/docker/<id>`.
  Made by `lab/capture-fixtures-dockerd`.
IDX
}
