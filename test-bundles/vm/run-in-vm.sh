#!/bin/bash
# run-in-vm.sh 'COMMAND'  -- run COMMAND (bash) as root inside a throw-away Linux guest
# (adapted from the workplace's shared/vm/; build the guest first with build.sh beside this)
# that has a pure cgroup v2 hierarchy (all controllers enabled in the root's
# subtree_control). The guest sees the host's root filesystem (read-only 9p + tmpfs
# overlay: writes are discarded), the current directory read-write at the same path
# (plus VM_RW dirs), and starts in the current directory.
# Prints the command's stdout+stderr (merged) and exits with its exit code.
# Exit 125 = the VM itself failed (console log is printed to stderr).
#
# Env knobs:
#   VMDIR=/var/tmp/jrun-vm  where build.sh put the guest
#   VM_ACCEL=uml|tcg|kvm (default: uml = User-Mode Linux: fast start, native-speed user code, 1 CPU, no cpuset;
#                      tcg/kvm = qemu, needs VM_QEMU=1 build.sh; kvm needs a guest kernel the host hypervisor can run)
#   VM_MEM=2G  VM_CPUS=2  VM_TIMEOUT=1800 (seconds, whole VM)
#   VM_SHARE=$PWD      directory shared read-write (""/none to disable)
#   VM_RW="dir1 dir2"  more read-write dirs (absolute paths, no spaces)
#   VM_ENV="A=1 B=2"   extra variables exported in the guest
#   VM_KERNEL / VM_INITRD  override kernel / initramfs
#   VM_QEMU_ARGS="..." extra qemu arguments (word-split)
#   VM_NET=1           add a qemu user-mode NIC (eth0 10.0.2.15/24, gw 10.0.2.2); default: only lo
#   VM_VERBOSE=1       copy the guest console (kernel log) to stderr afterwards
#   VM_TIMING=1        print guest uptime at command start/end on stderr
#   VM_KEEP=1          keep the per-run directory (printed on stderr)
set -u
VMDIR=${VMDIR:-/var/tmp/jrun-vm}
[ $# -ge 1 ] || { echo "usage: $0 'COMMAND'" >&2; exit 2; }
CMD="$*"
ACCEL=${VM_ACCEL:-uml}
MEM=${VM_MEM:-2G}
CPUS=${VM_CPUS:-2}
TIMEOUT=${VM_TIMEOUT:-1800}
SHARE=${VM_SHARE-$PWD}
KERNEL=${VM_KERNEL:-$VMDIR/vmlinux}
INITRD=${VM_INITRD:-$VMDIR/initramfs.cpio}
if [ "$ACCEL" != uml ]; then
  [ -r "$KERNEL" ] && [ -r "$INITRD" ] || { echo "run-in-vm: run VMDIR=$VMDIR VM_QEMU=1 $(dirname "$0")/build.sh first" >&2; exit 125; }
fi

RUN=$(mktemp -d "${TMPDIR:-/tmp}/vmrun.XXXXXX")
cleanup() { [ -n "${QPID:-}" ] && kill "$QPID" 2>/dev/null; [ "${VM_KEEP:-0}" = 1 ] && echo "run-in-vm: kept $RUN" >&2 || rm -rf "$RUN"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

printf '%s\n' "$CMD" > "$RUN/cmd.sh"
pwd > "$RUN/cwd"
: > "$RUN/out"
: > "$RUN/env"
for kv in ${VM_ENV:-}; do printf 'export %q\n' "$kv" >> "$RUN/env"; done
KVER=$(basename "$(readlink -f "$KERNEL")" | sed -E 's/^vmlinu[xz]-//')
[ -d "$VMDIR/kroot/lib/modules/$KVER" ] && echo "$VMDIR/kroot/lib/modules/$KVER" > "$RUN/kmoddir"

FSDEV=()
i=0
: > "$RUN/shares"
for d in $( [ -n "$SHARE" ] && [ "$SHARE" != none ] && echo "$SHARE") ${VM_RW:-}; do
  d=$(cd "$d" && pwd) || { echo "run-in-vm: no such dir $d" >&2; exit 125; }
  [ "$d" = / ] && { echo "run-in-vm: refusing to share / read-write" >&2; exit 125; }
  FSDEV+=(-virtfs "local,path=$d,mount_tag=rw$i,security_model=passthrough,multidevs=remap")
  echo "rw$i $d" >> "$RUN/shares"
  i=$((i+1))
done

case "$ACCEL" in
  uml) ;;
  kvm) if [ -d /sys/module/kvm_pvm ] && [ -z "${VM_KERNEL:-}" ]; then
         echo "run-in-vm: /dev/kvm is backed by kvm_pvm (PVM): it only runs PVM-enabled guest kernels" \
              "(CONFIG_PVM_GUEST); the Debian kernel hangs in early boot. Use VM_ACCEL=tcg|uml, or VM_KERNEL=<PVM vmlinux>." >&2
         exit 125
       fi
       ACC=(-accel kvm -cpu "${VM_CPU:-host}")
       [ -d /sys/module/kvm_pvm ] && ACC=(-accel kvm -cpu "${VM_CPU:-host,-arch-capabilities}" -bios /usr/share/qemu/qboot.rom) ;;
  tcg) ACC=(-accel "tcg,thread=multi,tb-size=${VM_TBSIZE:-512}" -cpu "${VM_CPU:-max}") ;;
  *) echo "run-in-vm: VM_ACCEL must be uml, tcg or kvm" >&2; exit 125 ;;
esac
NET=(-nic none)
[ "${VM_NET:-0}" = 1 ] && { NET=(-nic user,model=virtio-net-pci); : > "$RUN/net"; }

APPEND="console=ttyS0 quiet loglevel=4 panic=-1 rdinit=/init cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 \
random.trust_cpu=on mitigations=off nowatchdog tsc=reliable 8250.nr_uarts=1 ${VM_APPEND:-}"

if [ "$ACCEL" = uml ]; then
  # User-Mode Linux: the guest kernel is a host process; host dirs via hostfs (1 CPU, no cpuset)
  UML=${VM_UML:-$VMDIR/uml/usr/bin/linux.uml}
  [ -x "$UML" ] && [ -r "$VMDIR/initramfs-uml.cpio" ] || { echo "run-in-vm: run VMDIR=$VMDIR $(dirname "$0")/build.sh first" >&2; exit 125; }
  sed -i 's/^rw[0-9]* /hostfs /' "$RUN/shares"
  rm -f "$RUN/kmoddir"
  UMLMEM=$(echo "$MEM" | sed 's/G$/000M/')
  timeout -k 10 "$TIMEOUT" "$UML" mem="$UMLMEM" initrd="$VMDIR/initramfs-uml.cpio" rdinit=/init \
    vmfs=hostfs vmxchg="$RUN" quiet panic=-1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 \
    con=null con0=null,fd:2 ssl=null ${VM_APPEND:-} </dev/null >"$RUN/qemu.log" 2>"$RUN/console.log" &
else
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
  -machine q35,vmport=off,smbus=off,sata=off,usb=off \
  "${ACC[@]}" -smp "$CPUS" -m "$MEM" \
  -nodefaults -no-user-config -display none -no-reboot \
  -serial "file:$RUN/console.log" \
  -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND" \
  -virtfs "local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap" \
  -virtfs "local,path=$RUN,mount_tag=xchg,security_model=passthrough" \
  "${FSDEV[@]}" "${NET[@]}" \
  -device virtio-rng-pci ${VM_QEMU_ARGS:-} \
  </dev/null >"$RUN/qemu.log" 2>&1 &
fi
QPID=$!
# stream the command's output while the guest runs; tail exits (after a final read) once qemu is gone
tail -c +1 -s 0.1 -f --pid=$QPID "$RUN/out"
wait $QPID
QRC=$?; QPID=

if [ "${VM_TIMING:-0}" = 1 ] && [ -f "$RUN/t_start" ]; then
  echo "run-in-vm: guest uptime at command start $(cat "$RUN/t_start")s, at command end $(cat "$RUN/t_end" 2>/dev/null)s" >&2
fi
if [ "${VM_VERBOSE:-0}" = 1 ]; then echo "----- guest console -----" >&2; cat "$RUN/console.log" >&2; fi
if [ -f "$RUN/rc" ]; then
  exit "$(cat "$RUN/rc")"
fi
{
  echo "run-in-vm: guest did not report an exit code (qemu rc=$QRC)"
  [ -s "$RUN/qemu.log" ] && { echo "--- qemu:"; cat "$RUN/qemu.log"; }
  for f in init-error overlay-error; do [ -s "$RUN/$f" ] && { echo "--- $f:"; cat "$RUN/$f"; }; done
  echo "--- guest console (tail):"; tail -n 40 "$RUN/console.log"
} >&2
exit 125
