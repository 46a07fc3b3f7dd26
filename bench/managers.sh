#!/bin/bash
# make bench, part 2: jrun vs runc under the real managers, a container at a time, as a user sees it:
#   ctr run --rm IMAGE ID /bin/true      (a private containerd; the runc shim's BinaryName is jrun or runc)
#   podman run --rm IMAGE /bin/true      (a private podman configuration; --runtime jrun or runc)
#   docker run --rm IMAGE /bin/true      (a private dockerd on that containerd; --runtime jrun or runc)
# Runs are interleaved (jrun, runc, runc, jrun, ...) with unique ids, after 2 warm-up runs each.
# Prints a markdown section (medians, ratio) on stdout, progress on stderr.
# Needs: containerd (ctr), podman (conmon), runc, java, python3, and a built jrun (make dist).
# MANAGER_RUNS (default 15) sets the number of measured runs per runtime and manager.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${MANAGER_RUNS:-15}
JRUN=$(pwd)/build/dist/bin/jrun
RUNC=$(command -v runc)
for tool in containerd ctr podman conmon dockerd python3 java; do
    command -v "$tool" >/dev/null || { echo "bench/managers.sh: $tool is missing (sh packaging/deps.sh)" >&2; exit 1; }
done
[ -x "$JRUN" ] || { echo "bench/managers.sh: no $JRUN (make dist)" >&2; exit 1; }

# short: podman refuses a runroot longer than 50 characters
work=$(mktemp -d /tmp/jrun-mb.XXXXXX)
chmod 755 "$work"
tag=jrun-bench-$$
ctrd_pid=
dockerd_pid=
docker() { DOCKER_CONFIG=$work/docker/client /usr/bin/docker -H "unix://$work/docker/docker.sock" "$@"; }
cleanup() {
    set +e
    if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
        docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1
        kill "$dockerd_pid"
        for _ in $(seq 150); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$dockerd_pid" 2>/dev/null && kill -9 "$dockerd_pid"
    fi
    if [ -n "$ctrd_pid" ] && kill -0 "$ctrd_pid" 2>/dev/null; then
        for id in $(ctr --address "$work/containerd.sock" -n "$tag" task ls -q 2>/dev/null); do
            ctr --address "$work/containerd.sock" -n "$tag" task kill -a -s SIGKILL "$id"
            ctr --address "$work/containerd.sock" -n "$tag" task rm -f "$id"
        done
        for id in $(ctr --address "$work/containerd.sock" -n "$tag" container ls -q 2>/dev/null); do
            ctr --address "$work/containerd.sock" -n "$tag" container rm "$id"
        done
        kill "$ctrd_pid"
        for _ in $(seq 100); do kill -0 "$ctrd_pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$ctrd_pid" 2>/dev/null && kill -9 "$ctrd_pid"
    fi
    if [ -f "$work/podman/containers.conf" ]; then
        CONTAINERS_CONF=$work/podman/containers.conf CONTAINERS_STORAGE_CONF=$work/podman/storage.conf \
            podman rm -a -f -t 0 >/dev/null 2>&1
    fi
    # the cgroups this benchmark made (jrun and runc remove the containers' own, not their parents)
    for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
        for top in "$h$tag" "$h$tag-podman" "$h$tag-docker"; do
            [ -d "$top" ] && find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null
        done
    done
    grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | while read -r mp; do umount -l "$mp"; done
    rm -rf "$work"
}
trap cleanup EXIT

echo "managers: building the busybox image" >&2
java -cp "test-bundles/target/jrun-test-bundles-0.1.0.jar:test-bundles/target/lib/*" \
    dev.jrun.testbundles.ManagerImages "$work/images" build/native/jrun-probe >/dev/null

# jrun with its server turned off: every call a fresh JVM
printf '#!/bin/sh\nJRUN_NO_SERVER=1 exec %s "$@"\n' "$JRUN" > "$work/jrund"
chmod +x "$work/jrund"

# --- containerd: private config, state, root and socket; the CRI plugin off
mkdir -p "$work/fifo"
cat > "$work/containerd.toml" <<EOF
version = 2
root = "$work/containerd-root"
state = "$work/containerd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$work/containerd.sock"
[ttrpc]
  address = "$work/containerd.sock.ttrpc"
EOF
setsid containerd --config "$work/containerd.toml" >"$work/containerd.log" 2>&1 </dev/null &
ctrd_pid=$!
for _ in $(seq 100); do
    ctr --address "$work/containerd.sock" version >/dev/null 2>&1 && break
    sleep 0.1
done
ctr --address "$work/containerd.sock" -n "$tag" image import "$work/images/busybox-oci.tar" >/dev/null

# --- dockerd: private data, exec root and socket, on that containerd, in its own namespaces
mkdir -p "$work/docker/client"
echo '{}' > "$work/docker/daemon.json"
setsid dockerd --config-file "$work/docker/daemon.json" --data-root "$work/docker/data" \
    --exec-root "$work/docker/exec" --pidfile "$work/docker/docker.pid" --host "unix://$work/docker/docker.sock" \
    --containerd "$work/containerd.sock" --containerd-namespace "$tag-docker" \
    --containerd-plugins-namespace "$tag-docker-plugins" --add-runtime "jrun=$JRUN" --add-runtime "jrund=$work/jrund" \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$tag-docker" --iptables=false --ip6tables=false \
    --ip-masq=false --bridge=none --userland-proxy=false --storage-driver vfs \
    >"$work/docker/dockerd.log" 2>&1 </dev/null &
dockerd_pid=$!
for _ in $(seq 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker load -i "$work/images/busybox-docker.tar" >/dev/null

# --- podman: private configuration, both runtimes registered by name
mkdir -p "$work/podman/tmp" "$work/podman/networks"
nofile=$(awk '/^Max open files/ {print $5}' /proc/self/limits)
nproc=$(awk '/^Max processes/ {print $4}' /proc/self/limits)
pidmax=$(cat /proc/sys/kernel/pid_max)
[ "$nofile" = unlimited ] && nofile=1048576
[ "$nproc" = unlimited ] || [ "$nproc" -gt "$pidmax" ] && nproc=$pidmax
cat > "$work/podman/containers.conf" <<EOF
[containers]
netns = "none"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$work/podman/events.log"
lock_type = "file"
runtime_supports_json = ["crun", "runc", "jrun", "jrund"]
tmp_dir = "$work/podman/tmp"
static_dir = "$work/podman/root/libpod"
volume_path = "$work/podman/root/volumes"
[engine.runtimes]
jrun = ["$JRUN"]
jrund = ["$work/jrund"]
runc = ["$RUNC"]
[network]
network_config_dir = "$work/podman/networks"
EOF
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/podman/root"\nrunroot = "%s/podman/run"\n' "$work" "$work" \
    > "$work/podman/storage.conf"
export CONTAINERS_CONF=$work/podman/containers.conf CONTAINERS_STORAGE_CONF=$work/podman/storage.conf
blob_cache_existed=$([ -e /var/lib/containers ] && echo yes || echo no)
jrun_root_existed=$([ -e /run/jrun ] && echo yes || echo no)
podman load -i "$work/images/busybox-oci.tar" >/dev/null 2>&1

echo "managers: $RUNS interleaved runs per runtime (+2 warm-up) of ctr, podman and docker run --rm" >&2
python3 - "$work" "$tag" "$RUNS" "$JRUN" "$RUNC" "$work/jrund" <<'PY'
import json, os, statistics, subprocess, sys, time
work, tag, runs, jrun, runc, jrund = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
image = "docker.io/library/busybox:jrun"
binaries = {"jrun": jrun, "jrund": jrund, "runc": runc}

def ctr_cmd(rt, cid):
    return ["ctr", "--address", f"{work}/containerd.sock", "-n", tag, "run", "--rm",
            "--runtime", "io.containerd.runc.v2", "--runc-binary", binaries[rt],
            "--runc-root", f"{work}/runc-root-{rt}", "--fifo-dir", f"{work}/fifo", image, cid, "/bin/true"]

def podman_cmd(rt, cid):
    return ["podman", "--runtime", rt, "run", "--rm", "--name", cid, "--cgroup-parent", f"/{tag}-podman",
            image, "/bin/true"]

def docker_cmd(rt, cid):
    return ["/usr/bin/docker", "-H", f"unix://{work}/docker/docker.sock", "run", "--rm", "--runtime", rt,
            "--network", "none", "--name", cid, image, "/bin/true"]

docker_env = dict(os.environ, DOCKER_CONFIG=f"{work}/docker/client")

def once(cmd):
    t = time.perf_counter()
    # podman reads DOCKER_CONFIG too (for registry logins): only docker gets it
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       env=docker_env if cmd[0].endswith("docker") else None)
    dt = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr.decode()}")
    return dt

results = {}
for manager, make in (("ctr", ctr_cmd), ("podman", podman_cmd), ("docker", docker_cmd)):
    times = {"jrun": [], "jrund": [], "runc": []}
    n = 0
    for i in range(runs + 2):
        order = ("jrun", "jrund", "runc") if i % 2 == 0 else ("runc", "jrund", "jrun")
        for rt in order:
            n += 1
            dt = once(make(rt, f"bench-{rt}-{i}-{n}"))
            if i >= 2:
                times[rt].append(dt)
    results[manager] = times
    print(f"managers: {manager} done", file=sys.stderr)

rows = [("ctr", "`ctr run --rm IMAGE ID /bin/true` (containerd 1.6, runc shim)"),
        ("podman", "`podman run --rm IMAGE /bin/true` (podman 4.3, conmon)"),
        ("docker", "`docker run --rm IMAGE /bin/true` (dockerd 20.10 on that containerd)")]
print(f"\n## Under the managers ({runs} interleaved runs each, medians)\n")
print("| operation | jrun warm server (ms) | jrun no server (ms) | runc (ms) | warm / runc | no server / runc |")
print("|---|---:|---:|---:|---:|---:|")
for key, label in rows:
    j, d, r = (statistics.median(results[key][rt]) for rt in ("jrun", "jrund", "runc"))
    print(f"| {label} | {j:.0f} | {d:.0f} | {r:.0f} | {j / r:.2f}× | {d / r:.2f}× |")
with open(f"{work}/times.json", "w") as f:
    json.dump(results, f)
PY
# podman writes its blob cache under /var/lib/containers whatever it is told; remove it if this made it
if [ "$blob_cache_existed" = no ] && [ -d /var/lib/containers ]; then
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
    rmdir /var/lib/containers/cache /var/lib/containers 2>/dev/null || true
fi
# podman passes no --root, so jrun kept its state in /run/jrun
if [ "$jrun_root_existed" = no ]; then
    "$JRUN" server stop >/dev/null 2>&1 || true
    rmdir /run/jrun 2>/dev/null || true
fi
