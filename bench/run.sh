#!/bin/bash
# make bench: jrun and runc side by side, in one hyperfine run per operation (medians).
# Writes a markdown table to bench/results/<date>.md and prints it.
# Needs: hyperfine, runc, python3 (sh packaging/deps.sh test installs them).
# Then bench/managers.sh adds `ctr run --rm` and `podman run --rm` with jrun vs runc (BENCH_MANAGERS=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
JRUN=$(pwd)/jrun
RUNC=$(command -v runc)
work=$(mktemp -d /tmp/jrun-bench.XXXXXX)
trap 'for rt in jrun jrund runc; do for id in $(cat "$work/ids" 2>/dev/null); do "$work/$rt" delete --force "$id" >/dev/null 2>&1 || true; done; done; rm -rf "$work"' EXIT

# one wrapper per runtime, each with its own state root, so the commands below read the same;
# jrund is jrun with its server turned off (every call a fresh JVM, as before issue 18)
printf '#!/bin/sh\nexec %s --root %s/state-jrun "$@"\n' "$JRUN" "$work" > "$work/jrun"
printf '#!/bin/sh\nJRUN_NO_SERVER=1 exec %s --root %s/state-jrund "$@"\n' "$JRUN" "$work" > "$work/jrund"
printf '#!/bin/sh\nexec %s --root %s/state-runc "$@"\n' "$RUNC" "$work" > "$work/runc"
chmod +x "$work/jrun" "$work/jrund" "$work/runc"
java -cp "test-bundles/target/jrun-test-bundles-0.1.0.jar:test-bundles/target/lib/*" \
    dev.jrun.testbundles.BenchBundle "$work/bundle" build/native/jrun-probe >/dev/null
# a container that stays up, to exec into
java -cp "test-bundles/target/jrun-test-bundles-0.1.0.jar:test-bundles/target/lib/*" \
    dev.jrun.testbundles.BenchBundle "$work/sleeper" build/native/jrun-probe /bin/sleep 3600 >/dev/null
for rt in jrun jrund runc; do
    for op in state kill delete create start exec; do echo "$rt-$op"; done
    for i in $(seq 0 $((${CONCURRENT:-50} - 1))); do echo "$rt-many-$i"; done
done > "$work/ids"

# create -> start -> wait -> delete of /bin/true, as containerd's shim drives it
cat > "$work/cycle" <<'CYCLE'
#!/bin/sh
rt=$1; bundle=$2; id=$(basename "$rt")-cycle-$$
"$rt" create --bundle "$bundle" --pid-file "$bundle/../$id.pid" "$id"
pid=$(cat "$bundle/../$id.pid")
"$rt" start "$id"
# the init is reparented away from us: it is done once gone or a zombie
while [ -e /proc/$pid ] && ! grep -q ') Z' /proc/$pid/stat 2>/dev/null; do :; done
"$rt" delete "$id"
rm -f "$bundle/../$id.pid"
CYCLE
chmod +x "$work/cycle"

# run NAME [--prepare CMD] CMD: RT stands for the runtime wrapper, RTN for its name (ids differ,
# so the two runtimes never share a cgroup)
run() {
    local name=$1; shift
    local rt a
    for rt in jrun jrund runc; do
        local args=()
        for a in "$@"; do a=${a//RTN/$rt}; args+=("${a//RT/$work/$rt}"); done
        hyperfine --style none --runs "$RUNS" --warmup 2 --export-json "$work/$name-$rt.json" -n "$rt" "${args[@]}" \
            >/dev/null 2>&1
    done
}

for rt in jrun jrund runc; do "$work/$rt" create --bundle "$work/bundle" "$rt-state" >/dev/null; done
# the measured calls find the server warm: wait until it answers
for i in $(seq 300); do "$work/jrun" server status 2>/dev/null | grep -q '^pid: ' && break; sleep 0.2; done
run version "RT --version"
run state "RT state RTN-state"
run create --prepare "RT delete --force RTN-create" "RT create --bundle $work/bundle RTN-create"
run kill --prepare "sh -c 'RT delete --force RTN-kill; RT create --bundle $work/bundle RTN-kill'" "RT kill RTN-kill KILL"
run delete --prepare "sh -c 'RT delete --force RTN-delete; RT create --bundle $work/bundle RTN-delete'" \
    "RT delete --force RTN-delete"
run start --prepare "sh -c 'RT delete --force RTN-start; RT create --bundle $work/bundle RTN-start'" "RT start RTN-start"
for rt in jrun jrund runc; do "$work/$rt" run --detach --bundle "$work/sleeper" "$rt-exec" >/dev/null </dev/null; done
run exec "RT exec RTN-exec /bin/true"
run cycle "$work/cycle RT $work/bundle"
run run "sh -c 'RT run --bundle $work/bundle RTN-run-\$\$'"
# N lifecycles at once on distinct ids (default 50): wall time, and the CPU time of every process
# taking part: the callers and their children, and for jrun the server's own (read from /proc)
CONCURRENT=${CONCURRENT:-50}
cat > "$work/lifecycle" <<'CYCLE'
#!/bin/sh
rt=$1; bundle=$2; id=$(basename "$rt")-many-$3
"$rt" create --bundle "$bundle" --pid-file "$bundle/../$id.pid" "$id" || exit 1
pid=$(cat "$bundle/../$id.pid")
"$rt" start "$id" || exit 1
while [ -e /proc/$pid ] && ! grep -q ') Z' /proc/$pid/stat 2>/dev/null; do sleep 0.02; done
"$rt" delete "$id"
CYCLE
chmod +x "$work/lifecycle"
cat > "$work/concurrent.py" <<'PY'
import json, os, resource, subprocess, sys, time
work, rt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
tick = os.sysconf("SC_CLK_TCK")
def server_cpu():
    if rt != "jrun":
        return 0.0
    out = subprocess.run([f"{work}/{rt}", "server", "status"], capture_output=True, text=True).stdout
    pid = next((l[5:] for l in out.splitlines() if l.startswith("pid: ")), None)
    if pid is None:
        return 0.0
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime
s0, c0, t0 = server_cpu(), children_cpu(), time.perf_counter()
procs = [subprocess.Popen([f"{work}/lifecycle", f"{work}/{rt}", f"{work}/bundle", str(i)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(n)]
errors = [p.communicate()[1].decode(errors="replace").strip() for p in procs]
failed = sum(p.returncode != 0 for p in procs)
with open(f"{work}/many-{rt}.errors", "w") as f:
    f.write("\n".join(e for p, e in zip(procs, errors) if p.returncode != 0))
wall = time.perf_counter() - t0
cpu = children_cpu() - c0 + server_cpu() - s0
json.dump({"wall": wall, "cpu": cpu, "failed": failed}, open(f"{work}/many-{rt}.json", "w"))
PY
"$work/jrun" list >/dev/null
for i in $(seq 300); do "$work/jrun" server status 2>/dev/null | grep -q '^pid: ' && break; sleep 0.2; done
for rt in jrun jrund runc; do
    python3 "$work/concurrent.py" "$work" "$rt" "$CONCURRENT" || echo "bench: the concurrent run of $rt failed" >&2
done

# the first call, with no server yet (it starts one and runs in-process meanwhile): state of a
# created container; the server is stopped, and gone, before each
cat > "$work/cold-prep" <<'PREP'
#!/bin/sh
# the server the last call started must be up before it can be told to stop
for i in $(seq 100); do "$1" server status 2>/dev/null | grep -q '^pid: ' && break; sleep 0.1; done
"$1" server stop >/dev/null 2>&1
sleep 1.5
PREP
chmod +x "$work/cold-prep"
hyperfine --style none --runs "$RUNS" --export-json "$work/cold-jrun.json" -n jrun \
    --prepare "$work/cold-prep $work/jrun" "$work/jrun state jrun-state" >/dev/null 2>&1 || true
for i in $(seq 300); do "$work/jrun" server status 2>/dev/null | grep -q '^pid: ' && break; sleep 0.2; done
sleep 2
"$work/jrun" server status > "$work/server-status" 2>/dev/null || true
# the front end alone: a call the server sends back at once costs a round trip, so --version
# through jrund (the off switch, straight to the launcher) is not it; state of an unknown id is
hyperfine --style none --runs 50 --warmup 5 --export-json "$work/front-jrun.json" -n jrun -i "$work/jrun state nosuch" \
    >/dev/null 2>&1 || true
stat -L -c %s "$JRUN" > "$work/front-size"

out=bench/results/$(date -u +%Y-%m-%dT%H%M%SZ).md
python3 - "$work" "$out" <<'PY'
import json, os, platform, subprocess, sys
work, out = sys.argv[1], sys.argv[2]
rows = [("version", "--version"), ("state", "state"), ("create", "create (no start)"), ("start", "start"),
        ("kill", "kill"), ("delete", "delete --force"), ("exec", "exec /bin/true (into a running container)"),
        ("cycle", "create→start→wait→delete of /bin/true"), ("run", "run /bin/true")]
def median(name, rt):
    with open(f"{work}/{name}-{rt}.json") as f:
        return json.load(f)["results"][0]["median"] * 1000
lines = ["| operation | jrun warm server (ms) | jrun no server (ms) | runc (ms) | warm / runc | no server / runc |",
         "|---|---:|---:|---:|---:|---:|"]
for key, label in rows:
    j, d, r = median(key, "jrun"), median(key, "jrund"), median(key, "runc")
    lines.append(f"| {label} | {j:.1f} | {d:.1f} | {r:.1f} | {j / r:.2f}× | {d / r:.2f}× |")
extra = []
try:
    c, d, r = median("cold", "jrun"), median("state", "jrund"), median("state", "runc")
    extra.append(f"- first (cold) call, `state` with no server running: {c:.1f} ms (no server: {d:.1f} ms, runc {r:.1f} ms)")
except (OSError, KeyError, IndexError):
    extra.append("- first (cold) call: not measured")
try:
    extra.append(f"- front end + server round trip (`state` of an unknown id): {median('front', 'jrun'):.1f} ms")
except (OSError, KeyError, IndexError):
    pass
with open(f"{work}/front-size") as f:
    extra.append(f"- front end (bin/jrun, static): {int(f.read()) / 1024:.0f} KiB")
try:
    with open(f"{work}/server-status") as f:
        st = dict(l.split(": ", 1) for l in f.read().splitlines() if ": " in l)
    extra.append(f"- server RSS after the runs above: {int(st['rss'].split()[0]) / 1024:.0f} MiB (heap bounded by -Xmx128m)")
except (OSError, KeyError, ValueError):
    extra.append("- server RSS: not measured")
many = {}
for rt in ("jrun", "jrund", "runc"):
    try:
        with open(f"{work}/many-{rt}.json") as f:
            many[rt] = json.load(f)
    except OSError:
        pass
if len(many) == 3:
    n = os.environ.get("CONCURRENT", "50")
    for key, label in (("wall", "wall time"), ("cpu", "CPU time (all processes, server included)")):
        j, d, r = many["jrun"][key], many["jrund"][key], many["runc"][key]
        lines.append(f"| {n} lifecycles at once: {label} (s) | {j:.2f} | {d:.2f} | {r:.2f} | {j / r:.2f}× | {d / r:.2f}× |")
    failed = {rt: m["failed"] for rt, m in many.items() if m["failed"]}
    if failed:
        extra.append(f"- lifecycles that failed in the concurrent run: {failed}")
        for rt in failed:
            with open(f"{work}/many-{rt}.errors") as f:
                first = f.read().strip().splitlines()[:3]
            extra.append(f"  - {rt}: " + " / ".join(first))
lines += [""] + extra
runc = subprocess.run(["runc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
head = [f"# jrun vs runc ({os.environ.get('RUNS', '20')} runs each, hyperfine medians)", "",
        f"host: {platform.node()} {platform.release()}, {os.cpu_count()} CPUs; {runc}; {java}", ""]
text = "\n".join(head + lines) + "\n"
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    f.write(text)
print(text)
PY
if [ "${BENCH_MANAGERS:-1}" != 0 ]; then
    bench/managers.sh | tee -a "$out"
fi
echo "written to $out"
