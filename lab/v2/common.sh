# lab/v2/common.sh - settings and helpers shared by lab/v2/build, up and down (sourced, not run).
# shellcheck shell=bash

CACHE=${HR_LAB_V2_CACHE:-/var/cache/headroom-lab/v2}
RUN=/run/headroom-lab/v2
SUITE=trixie
MIRROR=${HR_LAB_V2_MIRROR:-http://deb.debian.org/debian}
DISK_SIZE=8G
# The VM: 2 CPUs emulated by TCG (KVM only when asked: see pick_accel) and 4 GiB; MemTotal inside is ~3.8 GiB.
VM_CPUS=${HR_LAB_V2_CPUS:-2}
VM_MEM_MIB=${HR_LAB_V2_MEM_MIB:-4096}
IMAGE=${HEADROOM_LAB_V2_DASK_IMAGE:-headroom-lab/dask:2024.12}
IMPORT_CHANGES="--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'WORKDIR /tmp' --change 'CMD [\"/bin/sh\"]' --change 'LABEL io.headroom.lab=1'"

log() { printf '[lab/v2] %s\n' "$*" >&2; }
die() { printf '[lab/v2] ERROR: %s\n' "$*" >&2; exit 1; }

# Host packages: QEMU (TCG), mmdebstrap and mkfs.ext4 -d, the ssh client. All from bookworm.
install_host_packages() {
  local need=()
  command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
  command -v qemu-img >/dev/null 2>&1 || need+=(qemu-utils)
  command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
  command -v mkfs.ext4 >/dev/null 2>&1 || need+=(e2fsprogs)
  command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
  command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
  [ "${#need[@]}" -eq 0 ] && return 0
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -y -q -o DPkg::Lock::Timeout=900)
  if ! "${apt[@]}" install --no-install-recommends "${need[@]}" >/dev/null; then
    "${apt[@]}" update >/dev/null
    "${apt[@]}" install --no-install-recommends "${need[@]}" >/dev/null
  fi
}

# A free TCP port on 127.0.0.1 (the first of 22022... that nothing listens on).
free_port() {
  local p
  for p in $(seq "${HR_LAB_V2_SSH_PORT:-22022}" 22099); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port in ${HR_LAB_V2_SSH_PORT:-22022}..22099"
}

# Guest ports 18900-18909 (the fix-loop tests' schedulers) are forwarded to 127.0.0.1:<port + 10000>
# on this machine, so that Headroom's --scheduler can reach them like an operator's tunnel would.
FORWARDED_PORTS=$(seq 18900 18909)
PORT_OFFSET=10000

# pick_accel: prints "ACCEL CPU" for QEMU. TCG (multi-threaded) unless HR_LAB_V2_ACCEL=kvm: the lab's
# machines are Firecracker guests whose /dev/kvm (nested) is not to be trusted — `-cpu host` aborts at start
# ("failed to set MSR 0x10a", IA32_ARCH_CAPABILITIES); with that MSR masked, or with -cpu qemu64, QEMU stops
# in the kernel's decompressor with "KVM internal error. Suberror: 1 ... emulation failure" before the console
# prints a line, while its user-mode network still accepts SSH connections (no banner: seen 2026-12-06). With
# HR_LAB_V2_ACCEL=kvm the CPU models are tried in order (HR_LAB_V2_QEMU_CPU names them) and the first that
# QEMU keeps running for 3 s is used.
pick_accel() {
  local want=${HR_LAB_V2_ACCEL:-tcg} cpu
  if [ "$want" = kvm ] && [ -w /dev/kvm ]; then
    for cpu in ${HR_LAB_V2_QEMU_CPU:-host host,-arch-capabilities}; do
      if kvm_starts "$cpu"; then echo "kvm $cpu"; return 0; fi
    done
    die "HR_LAB_V2_ACCEL=kvm but QEMU does not start under KVM with any of: ${HR_LAB_V2_QEMU_CPU:-host host,-arch-capabilities}"
  fi
  echo "tcg,thread=multi ${HR_LAB_V2_QEMU_CPU:-max}"
}

# kvm_starts CPU: true when QEMU under KVM with that CPU model is still running after 3 s (no disk, no
# kernel: the firmware waits for a boot device; a bad model aborts at once).
kvm_starts() {
  local rc
  (timeout 3 qemu-system-x86_64 -accel kvm -cpu "$1" -m 128 -nodefaults -display none -monitor none \
    -serial none >/dev/null 2>&1) 2>/dev/null && rc=0 || rc=$?
  [ "$rc" -eq 124 ]
}

# boot_vm DISK FORMAT PORT DIR [KERNEL_DIR [FORWARD]]: start QEMU in the background (pid in
# DIR/qemu.pid, serial console in DIR/console.log), SSH forwarded from 127.0.0.1:PORT, and with
# FORWARD=1 the FORWARDED_PORTS. TCG, multi-threaded, unless pick_accel says KVM.
boot_vm() {
  local disk=$1 format=$2 port=$3 dir=$4 kernel_dir=${5:-$4} forward=${6:-0} net p
  local accel cpu
  read -r accel cpu <<<"$(pick_accel)"
  [ -n "$accel" ] || die "no QEMU accelerator (see above)"
  log "QEMU: -accel $accel -cpu $cpu"
  rm -f "$dir/qemu.pid" "$dir/console.log"
  net="user,id=n0,hostfwd=tcp:127.0.0.1:$port-:22"
  if [ "$forward" = 1 ]; then
    for p in $FORWARDED_PORTS; do net="$net,hostfwd=tcp:127.0.0.1:$((p + PORT_OFFSET))-:$p"; done
  fi
  qemu-system-x86_64 -name headroom-lab-v2 -accel "$accel" -cpu "$cpu" -smp "$VM_CPUS" -m "$VM_MEM_MIB" \
    -kernel "$kernel_dir/vmlinuz" -initrd "$kernel_dir/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 quiet mitigations=off" \
    -drive "file=$disk,if=virtio,format=$format,cache=unsafe,discard=unmap" \
    -netdev "$net" -device virtio-net-pci,netdev=n0 \
    -device virtio-rng-pci \
    -display none -serial "file:$dir/console.log" -monitor none \
    -daemonize -pidfile "$dir/qemu.pid" ||
    die "qemu-system-x86_64 did not start"
}

vm_pid() { local p; p=$(cat "$1/qemu.pid" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"; }

# wait_ssh DIR SSH-ARGS...: until `ssh SSH-ARGS true` works (at most HR_LAB_V2_BOOT_TIMEOUT s).
wait_ssh() {
  local dir=$1; shift
  local deadline=$((SECONDS + ${HR_LAB_V2_BOOT_TIMEOUT:-300}))
  while [ $SECONDS -lt $deadline ]; do
    vm_pid "$dir" >/dev/null || { tail -20 "$dir/console.log" >&2 2>/dev/null; return 1; }
    ssh -o ConnectTimeout=5 "$@" true 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

# stop_vm DIR SECONDS: wait for QEMU to exit (after a power-off), then kill it.
stop_vm() {
  local dir=$1 wait=$2 pid i
  pid=$(vm_pid "$dir") || return 0
  for i in $(seq $((wait * 5))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill "$pid" 2>/dev/null || true
  for i in $(seq 25); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}
