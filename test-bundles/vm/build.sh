#!/bin/bash
# Builds (once) the throw-away pure-cgroup-v2 guest that run-in-vm.sh boots, into a cache
# directory outside the git tree: $VMDIR (default /var/tmp/jrun-vm).  Idempotent and cheap
# when the cache is complete (well under a second, no network), so tests may call it every run.
#
#   test-bundles/vm/build.sh               User-Mode Linux guest (the default; ~2 s boot)
#   VM_QEMU=1 test-bundles/vm/build.sh     also the qemu guest (Debian kernel; ~110 MB of .debs)
#
# Adapted from the workplace's shared/vm/build.sh.  On a fresh Debian 12 machine it installs
# what it needs with apt-get when run as root (busybox-static; xz-utils and qemu-system-x86
# for VM_QEMU=1) and fetches the kernel .debs with `apt-get download` (no install needed: they
# are unpacked into the cache).
set -euo pipefail
SRC=$(cd "$(dirname "$0")" && pwd)
VMDIR=${VMDIR:-/var/tmp/jrun-vm}
mkdir -p "$VMDIR/debs"
cd "$VMDIR"
log() { echo "vm-build: $*" >&2; }

# ---- packages -------------------------------------------------------------
need="busybox-static"
[ "${VM_QEMU:-0}" = 1 ] && need="$need xz-utils qemu-system-x86"
missing=""
for p in $need; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || { log "missing packages:$missing (run as root, or apt-get install$missing)"; exit 1; }
  log "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# apt-get download PKG into debs/, refreshing the package lists once if the cached lists
# name a version the mirror no longer has (a point release replaced it)
fetch_deb() {
  local pkg=$1
  ls "debs/${pkg}_"*.deb >/dev/null 2>&1 && return 0
  log "downloading $pkg"
  # apt's sandbox user cannot write to a root-owned cache: download in a world-writable temp dir
  local tmp
  tmp=$(mktemp -d "$VMDIR/debs/.dl.XXXXXX")
  chmod 777 "$tmp"
  if ! (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1); then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq
      (cd "$tmp" && apt-get download -q "$pkg" >/dev/null) || { rm -rf "$tmp"; log "apt-get download $pkg failed"; exit 1; }
    else
      rm -rf "$tmp"; log "apt-get download $pkg failed (stale package lists? run apt-get update as root)"; exit 1
    fi
  fi
  mv "$tmp"/*.deb debs/ && rm -rf "$tmp"
}

BB=$(command -v busybox)
{ ldd "$BB" 2>&1 || true; } | grep -q 'not a dynamic' || { log "need busybox-static (a static busybox), not $BB"; exit 1; }

# the initramfs holds our guest scripts: rebuild it when they (or busybox) change
stamp_of() { cat "$SRC/guest/init" "$SRC/guest/stage2" "$BB" "$@" | sha256sum | cut -c1-16; }

# mk_initramfs DIR OUT KVER MODULE_SRC_DIR module-rel-path...  (modules in load order)
mk_initramfs() {
  local d=$1 out=$2 kver=$3 moddir=$4; shift 4
  rm -rf "$d" && mkdir -p "$d"/{bin,dev,proc,sys,mnt,newroot,lib/modules/$kver}
  cp "$BB" "$d/bin/busybox"
  for a in sh mount umount mkdir insmod modprobe switch_root cat echo sleep ls poweroff; do ln -s busybox "$d/bin/$a"; done
  : > "$d/modules.load"
  for rel in "$@"; do
    mkdir -p "$d/lib/modules/$kver/$(dirname "$rel")"
    cp "$moddir/$rel" "$d/lib/modules/$kver/$rel"
    echo "$rel" >> "$d/modules.load"
  done
  cp "$SRC/guest/init" "$SRC/guest/stage2" "$d/" && chmod 755 "$d/init" "$d/stage2"
  (cd "$d" && find . | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) > "$out.tmp" && mv "$out.tmp" "$out"
  rm -rf "$d"
}

# ---- User-Mode Linux (default) --------------------------------------------
fetch_deb user-mode-linux
UDEB=$(ls debs/user-mode-linux_*.deb | sort -V | tail -1)
if [ ! -x uml/usr/bin/linux.uml ] || [ "$(cat uml/.deb 2>/dev/null)" != "$UDEB" ]; then
  log "unpacking $UDEB"
  rm -rf uml.tmp && dpkg -x "$UDEB" uml.tmp && echo "$UDEB" > uml.tmp/.deb && rm -rf uml && mv uml.tmp uml
fi
UKV=$(ls uml/usr/lib/uml/modules | head -1)
USTAMP=$(stamp_of uml/.deb)
if [ "$(cat initramfs-uml.stamp 2>/dev/null)" != "$USTAMP" ] || [ ! -s initramfs-uml.cpio ]; then
  mk_initramfs initramfs-uml.d initramfs-uml.cpio "$UKV" uml/usr/lib/uml/modules/"$UKV" kernel/fs/overlayfs/overlay.ko
  echo "$USTAMP" > initramfs-uml.stamp
  log "built $VMDIR/initramfs-uml.cpio for user-mode-linux $UKV"
fi

# ---- qemu guest (optional: VM_QEMU=1) -------------------------------------
if [ "${VM_QEMU:-0}" = 1 ]; then
  # newest Debian 6.1 kernel image (the security mirror only keeps the newest); override with KPKG=
  KPKG=${KPKG:-$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')}
  KPKG=${KPKG:-linux-image-6.1.0-56-amd64}
  fetch_deb "$KPKG"
  DEB=$(ls debs/"${KPKG}"_*.deb | head -1)
  if [ ! -d kroot/boot ] || [ "$(cat kroot/.deb 2>/dev/null)" != "$DEB" ]; then
    rm -rf kroot.tmp && dpkg -x "$DEB" kroot.tmp && echo "$DEB" > kroot.tmp/.deb && rm -rf kroot && mv kroot.tmp kroot
  fi
  KVER=$(ls kroot/lib/modules | head -1)
  MODDIR=kroot/lib/modules/$KVER
  [ -f "$MODDIR/modules.dep" ] || busybox depmod -b kroot "$KVER"
  # uncompressed ELF vmlinux: qemu boots it via the PVH entry point, skipping the XZ decompression
  if [ ! -s "vmlinux-$KVER" ]; then
    pos=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "kroot/boot/vmlinuz-$KVER" | head -1 | cut -d: -f1)
    tail -c +$((pos+1)) "kroot/boot/vmlinuz-$KVER" | xz -dcq > "vmlinux-$KVER.tmp" 2>/dev/null || true
    [ "$(head -c4 "vmlinux-$KVER.tmp" | od -An -c | tr -d ' ')" = '177ELF' ] || { log "vmlinux extraction failed"; exit 1; }
    mv "vmlinux-$KVER.tmp" "vmlinux-$KVER"
  fi
  ln -sfn "vmlinux-$KVER" vmlinux
  QSTAMP=$(stamp_of kroot/.deb)
  if [ "$(cat initramfs.stamp 2>/dev/null)" != "$QSTAMP" ] || [ ! -s initramfs.cpio ]; then
    declare -A seen
    order=()
    add_mod() {
      local rel deps d
      rel=$(grep -E "/$1\.ko:" "$MODDIR/modules.dep" | cut -d: -f1)
      [ -n "$rel" ] || { log "module $1 not found"; exit 1; }
      [ -n "${seen[$rel]:-}" ] && return 0
      seen[$rel]=1
      deps=$(grep -E "^$rel:" "$MODDIR/modules.dep" | cut -d: -f2)
      for d in $deps; do add_mod "$(basename "$d" .ko)"; done
      order+=("$rel")
    }
    for m in virtio_pci 9pnet_virtio 9p overlay; do add_mod "$m"; done
    mk_initramfs initramfs.d initramfs.cpio "$KVER" "$MODDIR" "${order[@]}"
    echo "$QSTAMP" > initramfs.stamp
    log "built $VMDIR/initramfs.cpio for $KVER (qemu)"
  fi
fi
