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
trap 'for rt in jrun runc; do for id in $(cat "$work/ids" 2>/dev/null); do "$work/$rt" delete --force "$id" >/dev/null 2>&1 || true; done; done; rm -rf "$work"' EXIT

# one wrapper per runtime, each with its own state root, so the commands below read the same
printf '#!/bin/sh\nexec %s --root %s/state-jrun "$@"\n' "$JRUN" "$work" > "$work/jrun"
printf '#!/bin/sh\nexec %s --root %s/state-runc "$@"\n' "$RUNC" "$work" > "$work/runc"
chmod +x "$work/jrun" "$work/runc"
java -cp "test-bundles/target/jrun-test-bundles-0.1.0.jar:test-bundles/target/lib/*" \
    dev.jrun.testbundles.BenchBundle "$work/bundle" build/native/jrun-probe >/dev/null
# a container that stays up, to exec into
java -cp "test-bundles/target/jrun-test-bundles-0.1.0.jar:test-bundles/target/lib/*" \
    dev.jrun.testbundles.BenchBundle "$work/sleeper" build/native/jrun-probe /bin/sleep 3600 >/dev/null
echo "jrun-state jrun-kill jrun-delete jrun-create jrun-start jrun-exec runc-state runc-kill runc-delete runc-create runc-start runc-exec" > "$work/ids"

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
    for rt in jrun runc; do
        local args=()
        for a in "$@"; do a=${a//RTN/$rt}; args+=("${a//RT/$work/$rt}"); done
        hyperfine --style none --runs "$RUNS" --warmup 2 --export-json "$work/$name-$rt.json" -n "$rt" "${args[@]}" \
            >/dev/null 2>&1
    done
}

for rt in jrun runc; do "$work/$rt" create --bundle "$work/bundle" "$rt-state" >/dev/null; done
run version "RT --version"
run state "RT state RTN-state"
run create --prepare "RT delete --force RTN-create" "RT create --bundle $work/bundle RTN-create"
run kill --prepare "sh -c 'RT delete --force RTN-kill; RT create --bundle $work/bundle RTN-kill'" "RT kill RTN-kill KILL"
run delete --prepare "sh -c 'RT delete --force RTN-delete; RT create --bundle $work/bundle RTN-delete'" \
    "RT delete --force RTN-delete"
run start --prepare "sh -c 'RT delete --force RTN-start; RT create --bundle $work/bundle RTN-start'" "RT start RTN-start"
for rt in jrun runc; do "$work/$rt" run --detach --bundle "$work/sleeper" "$rt-exec" >/dev/null </dev/null; done
run exec "RT exec RTN-exec /bin/true"
run cycle "$work/cycle RT $work/bundle"
run run "sh -c 'RT run --bundle $work/bundle RTN-run-\$\$'"

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
lines = ["| operation | jrun median (ms) | runc median (ms) | jrun / runc |", "|---|---:|---:|---:|"]
for key, label in rows:
    j, r = median(key, "jrun"), median(key, "runc")
    lines.append(f"| {label} | {j:.1f} | {r:.1f} | {j / r:.1f}× |")
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
