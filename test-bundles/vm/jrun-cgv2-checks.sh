#!/bin/bash
# Runs INSIDE the pure cgroup v2 guest (run-in-vm.sh): every cgroup v2 scenario of jrun, one
# "PASS: NAME: DETAIL" or "FAIL: NAME: DETAIL" line per check (parsed by
# cli/src/test/java/dev/jrun/cli/it/CgroupV2GuestTest.java), "NOT CHECKED: NAME: WHY" for what
# this guest cannot show, "== SCENARIO [SECONDS]" headers and indented "  | " lines of evidence.
#
# Environment: JRUN (the jrun launcher), BUNDLES (one bundle per scenario, built on the host
# by the test: BUNDLES/<scenario>, cgroupsPath /$CGPARENT/<scenario>), CGPARENT (default
# jrun-v2test).  The container ids are the scenario names.
#
# Every fork costs ~15 ms and every exec ~20 ms under User-Mode Linux (a jrun call 1.5-3 s):
# the helpers use shell builtins, and values are read once into variables.
#
# A loaded host slows the guest down several times over (each system call and page fault of
# a guest process is a round trip through the host's scheduler): nothing here may assume a
# speed.  The containers a scenario works on live until it deletes them, and every wait is for
# a condition, given up only after PATIENCE seconds.
set -u
J=${JRUN:?JRUN: the jrun launcher}
B=${BUNDLES:?BUNDLES: the bundle directory}
CGPARENT=${CGPARENT:-jrun-v2test}
PATIENCE=${PATIENCE:-120}
CG=/sys/fs/cgroup/$CGPARENT
ROOT=/run/jrun-v2test
T0=${EPOCHREALTIME/./}
pass=0
fail=0
n=0

log() { local l; while IFS= read -r l; do printf '  | %s\n' "$l"; done; }
elapsed() { local d=$(( ${EPOCHREALTIME/./} - T0 )); printf '%d.%d' $((d / 1000000)) $((d / 100000 % 10)); }
say() { echo "== $* [$(elapsed) s]"; }
# jrun, bounded in time; its output goes through a file, not a pipe, so a container process
# holding its stdout cannot block the caller's $(...). It logs to a file, as the managers call
# it, so an error comes on stderr as the bare message the checks compare.
jr() {
  local rc out= f=/tmp/jr.$BASHPID.$((++n)) t=$SECONDS
  timeout -k 5 "$PATIENCE" "$J" --root "$ROOT" --log "$f.log" "$@" >"$f" 2>&1; rc=$?
  IFS= read -r -d '' out <"$f"; rm -f "$f" "$f.log"
  printf '%s' "$out"
  if [ $((SECONDS - t)) -ge "$PATIENCE" ]; then
    echo "  | jrun $* timed out (exit $rc): processes:"
    ps -eo pid,ppid,stat,wchan:24,cmd | log
  fi
  return $rc
}
# run -d NAME: the container keeps jrun's stdout and stderr: a file, never a pipe we wait on
detach() {
  local rc
  jr run -d --bundle "$B/$1" "$1" </dev/null >"/tmp/$1.out" 2>&1; rc=$?
  [ $rc = 0 ] || { echo "  | run -d $1 failed (exit $rc):"; log <"/tmp/$1.out"; }
  return $rc
}
# check NAME DETAIL CONDITION: PASS when the shell CONDITION (evaluated here) holds
check() {
  if eval "$3"; then
    echo "PASS: $1: $2"; pass=$((pass + 1))
  else
    echo "FAIL: $1: $2"; fail=$((fail + 1))
  fi
}
# a cgroup file of ours (newlines shown as spaces; empty when missing)
cgf() {
  local v=
  [ -r "$CG/$1/$2" ] && IFS= read -r -d '' v <"$CG/$1/$2"
  v=${v%$'\n'}
  printf '%s' "${v//$'\n'/ }"
}
# the value of KEY in a flat-keyed file (memory.events, cpu.stat, ...) or in text
kv() { [ -r "$CG/$1/$2" ] && kvs "$3" <"$CG/$1/$2"; }
kvs() { local k v; while read -r k v; do [ "$k" = "$1" ] && { printf '%s' "$v"; return 0; }; done; return 1; }
# a number or string field of JSON (the first one of that name)
jnum() { local re="\"$2\": *(-?[0-9]+)"; [[ $1 =~ $re ]] && printf '%s' "${BASH_REMATCH[1]}"; }
jstr() { local re="\"$2\": *\"([^\"]*)\""; [[ $1 =~ $re ]] && printf '%s' "${BASH_REMATCH[1]}"; }
# the JSON object (without nested objects) following "KEY":
jobj() { local re="\"$2\": *(\{[^{}]*\})"; [[ $1 =~ $re ]] && printf '%s' "${BASH_REMATCH[1]}"; }
status() { local s; s=$(jr state "$1" 2>/dev/null); jstr "$s" status; }
gone() { [ ! -e "$CG/$1" ]; }
ge() { [ -n "$1" ] && [ "$1" -ge "$2" ] 2>/dev/null; }
between() { [ -n "$1" ] && [ "$1" -ge "$2" ] 2>/dev/null && [ "$1" -le "$3" ]; }
# wait_for CONDITION: evaluates the shell CONDITION until it holds (0) or PATIENCE runs out (1)
wait_for() {
  local end=$((SECONDS + PATIENCE))
  until eval "$1"; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.1
  done
}
# wait_status ID STATUS: polls `jrun state`; leaves the last status in $st
wait_status() { local id=$1 want=$2; wait_for 'st=$(status "$id"); [ "$st" = "$want" ]'; }
# the state letter of a process, or nothing once it is gone
pstate() { local l=; [ -r /proc/$1/stat ] && read -r l </proc/$1/stat 2>/dev/null; l=${l##*) }; printf '%s' "${l%% *}"; }
# every pid given has exited (gone, or a zombie nobody reaps)
dead() { local p s; for p in "$@"; do s=$(pstate "$p"); [ -z "$s" ] || [ "$s" = Z ] || return 1; done; }
# TEXT has a line that is exactly LINE
hasline() { [[ $'\n'$1$'\n' == *$'\n'"$2"$'\n'* ]]; }

s_env() {
  controllers=$(</sys/fs/cgroup/cgroup.controllers)
  fstype=$(stat -fc %T /sys/fs/cgroup)
  say "guest: $(uname -r), /sys/fs/cgroup is $fstype, controllers: $controllers; jrun: $J"
  check env.cgroup2 "/sys/fs/cgroup is a cgroup2 mount ($fstype)" '[ "$fstype" = cgroup2fs ]'
  check env.no-v1 "no cgroup v1 hierarchy is mounted" '! grep -q " cgroup " /proc/self/mounts'
  if [[ " $controllers " != *" cpuset "* ]]; then
    echo "NOT CHECKED: cpuset: this guest kernel has no cpuset controller (User-Mode Linux is uniprocessor," \
      "CONFIG_SMP/CPUSETS off), so cpuset.cpus/cpuset.mems enforcement is not checked in the guest;" \
      "the cpu.cpus/cpu.mems -> cpuset.* mapping is covered by V2ResourcesTest and FakeCgroupfsTest against a" \
      "fake cgroupfs, and in the qemu guest (CgroupV2GuestTest with -Djrun.vm.qemu=true);" \
      "checked here: asking for cpus is refused clearly (never dropped)"
  fi
}

# ------------------------------------------------------------------ memory
s_memory() {
  say "memory: memory.max 16 MiB, the probe touches 64 MiB"
  out=$(jr run --keep --bundle "$B/mem" mem); rc=$?
  log <<<"$out"
  max=$(cgf mem memory.max); ooms=$(kv mem memory.events oom_kill)
  check memory.max "memory.max=$max in /$CGPARENT/mem" '[ "$max" = 16777216 ]'
  check memory.in-container "memory.max inside the container (cgroupns): $(kvs memory.max= <<<"${out//=/= }")" \
    'hasline "$out" memory.max=16777216'
  check memory.oom-kill "allocating process SIGKILLed: run exit $rc (137), memory.events oom_kill=$ooms (>= 1)" \
    '[ "$rc" = 137 ] && ge "$ooms" 1'
  jr delete mem | log
  check memory.delete "delete removes /$CGPARENT/mem" 'gone mem'
}

# ------------------------------------------------------------------ pids
s_pids() {
  say "pids: pids.max 10, the probe forks 20 children"
  out=$(jr run --keep --bundle "$B/pids" pids); rc=$?
  log <<<"$out"
  max=$(cgf pids pids.max); events=$(kv pids pids.events max); forked=$(jnum "$out" forked); errno=$(jstr "$out" errno)
  check pids.max "pids.max=$max" '[ "$max" = 10 ]'
  check pids.fork-fails "fork fails after $forked children (5..9) with $errno (EAGAIN)" \
    'between "$forked" 5 9 && [ "$errno" = EAGAIN ]'
  check pids.events "pids.events max=$events (>= 1)" 'ge "$events" 1'
  jr delete pids | log
  check pids.delete "delete removes /$CGPARENT/pids" 'gone pids'
}

# ------------------------------------------------------------------ cpu
s_cpu() {
  say "cpu: cpu.max 20000/100000 (20 %), the probe spins for 1.5 s"
  out=$(jr run --bundle "$B/cpu" cpu); rc=$?
  log <<<"$out"
  thr=$(kvs nr_throttled <<<"$out"); usage=$(kvs usage_usec <<<"$out")
  check cpu.max "cpu.max inside the container is 20000 100000" 'hasline "$out" "20000 100000"'
  check cpu.throttled "cpu.stat nr_throttled=$thr (> 0), usage_usec=$usage for 1.5 s of spinning (< 1000000)" \
    'ge "$thr" 1 && between "$usage" 1 999999'
}

# ------------------------------------------------------------------ cpuset
s_cpuset() {
  if [[ " $controllers " == *" cpuset "* ]]; then
    say "cpuset: cpus 0, mems 0"
    out=$(jr run --bundle "$B/cpuset" cpuset); rc=$?
    log <<<"$out"
    allowed=$(kvs Cpus_allowed_list: <<<"$out")
    check cpuset.cpus "cpuset.cpus and cpuset.mems inside the container are 0; its CPU affinity: $allowed (0)" \
      'hasline "$out" cpuset.cpus=0 && hasline "$out" cpuset.mems=0 && [ "$allowed" = 0 ]'
  else
    say "cpuset: no cpuset controller in this guest: asking for cpus must be refused"
    err=$(jr create --bundle "$B/cpuset" cpuset); rc=$?
    log <<<"$err"
    check cpuset.refused "create refused (exit $rc) naming the cpuset controller and the field" \
      '[ "$rc" = 1 ] && [[ $err == *"cgroup controller cpuset is not available"*"linux.resources.cpu.cpus"* ]]'
    check cpuset.no-leftovers "no cgroup and no container left behind" '[ ! -e "$CG/cpuset" ] && [ ! -e "$ROOT/cpuset" ]'
  fi
}

# ------------------------------------------------------------------ pause / resume
s_pause() {
  say "pause/resume: cgroup.freeze (the container spins, at most 10 % of the CPU)"
  detach pause
  state=$(jr state pause); pid=$(jnum "$state" pid)
  jr pause pause | log
  st=$(status pause); freeze=$(cgf pause cgroup.freeze); frozen=$(kv pause cgroup.events frozen)
  u0=$(kv pause cpu.stat usage_usec); sleep 1; u1=$(kv pause cpu.stat usage_usec)
  check pause.state "state after pause: $st" '[ "$st" = paused ]'
  check pause.freeze "cgroup.freeze=$freeze, cgroup.events frozen=$frozen" '[ "$freeze" = 1 ] && [ "$frozen" = 1 ]'
  check pause.no-cpu "a frozen spinner uses no CPU: usage_usec $u0 -> $u1 over 1 s (init pid $pid in state $(pstate "$pid"))" \
    '[ -n "$u0" ] && [ "$u0" = "$u1" ]'
  err=$(jr pause pause); rc=$?
  check pause.twice "pausing again fails: exit $rc, '$err'" '[ "$rc" = 1 ] && [ "$err" = "container not running" ]'
  jr resume pause | log
  st=$(status pause); freeze=$(cgf pause cgroup.freeze); frozen=$(kv pause cgroup.events frozen)
  u0=$(kv pause cpu.stat usage_usec); t=$SECONDS
  # the spinner runs as soon as the host gives the guest the CPU: on a loaded host, not within a set time
  wait_for 'u1=$(kv pause cpu.stat usage_usec); ge "$u1" $((u0 + 1))'
  check resume.state "state after resume: $st, cgroup.freeze=$freeze, frozen=$frozen" \
    '[ "$st" = running ] && [ "$freeze" = 0 ] && [ "$frozen" = 0 ]'
  check resume.cpu "the thawed spinner runs again: usage_usec $u0 -> $u1 within $((SECONDS - t)) s" 'ge "$u1" $((u0 + 1))'
  err=$(jr resume pause); rc=$?
  check resume.twice "resuming again fails: exit $rc, '$err'" '[ "$rc" = 1 ] && [ "$err" = "container not paused" ]'
  jr pause pause | log
  jr kill --all pause KILL | log
  wait_status pause stopped
  check pause.kill "a paused container is killed by kill --all KILL: state $st" '[ "$st" = stopped ]'
  jr delete pause | log
  check pause.delete "delete removes /$CGPARENT/pause" 'gone pause'
}

# ------------------------------------------------------------------ update
s_update() {
  U=nested/update
  say "update: live limits of /$CGPARENT/$U (created without CPU limits): pids 10 -> 50 -> 77, memory 64 -> 128 -> 192 MiB"
  detach update
  out=$(jr exec update /bin/jrun-probe fork 20)
  log <<<"$out"
  pmax=$(cgf $U pids.max); forked=$(jnum "$out" forked); errno=$(jstr "$out" errno)
  check update.pids-before "with pids.max=$pmax a fork of 20 fails: forked $forked, $errno" '[ "$pmax" = 10 ] && [ "$errno" = EAGAIN ]'
  out=$(jr exec update /bin/jrun-probe alloc 96); rc=$?
  log <<<"${out##*$'\n'}"
  mmax=$(cgf $U memory.max)
  check update.mem-before "with memory.max=$mmax allocating 96 MiB is OOM-killed (exec exit $rc)" '[ "$mmax" = 67108864 ] && [ "$rc" = 137 ]'
  jr update --pids-limit 50 --memory 128m update | log
  pmax=$(cgf $U pids.max); mmax=$(cgf $U memory.max)
  check update.flags "update --pids-limit 50 --memory 128m: pids.max=$pmax, memory.max=$mmax" \
    '[ "$pmax" = 50 ] && [ "$mmax" = 134217728 ]'
  out=$(jr exec update /bin/jrun-probe fork 20)
  log <<<"$out"
  forked=$(jnum "$out" forked)
  check update.pids-after "after the update a fork of 20 succeeds: forked $forked" '[ "$forked" = 20 ]'
  out=$(jr exec update /bin/jrun-probe alloc 96); rc=$?
  log <<<"${out##*$'\n'}"
  check update.mem-after "after the update allocating 96 MiB succeeds (exec exit $rc)" '[ "$rc" = 0 ] && [[ $out == *"\"ok\":true"* ]]'
  out=$(jr update -r - update <<<'{"pids":{"limit":77},"memory":{"limit":201326592},"cpu":{"shares":512}}'); rc=$?
  log <<<"$out"
  pmax=$(cgf $U pids.max); mmax=$(cgf $U memory.max); weight=$(cgf $U cpu.weight)
  # cpu.shares 512 -> cpu.weight 59: runc's (opencontainers/cgroups) quadratic conversion
  check update.json "update -r - (JSON on stdin, exit $rc): pids.max=$pmax, memory.max=$mmax, cpu.weight=$weight (59)" \
    '[ "$pmax" = 77 ] && [ "$mmax" = 201326592 ] && [ "$weight" = 59 ]'
  jr update --pids-limit 60 update | log
  pmax=$(cgf $U pids.max); mmax=$(cgf $U memory.max)
  check update.keeps "what an update leaves out keeps its value: pids.max=$pmax, memory.max=$mmax" \
    '[ "$pmax" = 60 ] && [ "$mmax" = 201326592 ]'
  jr delete --force update | log
  check update.delete-force "delete --force of a running container removes /$CGPARENT/$U" 'gone $U'
}

# ------------------------------------------------------------------ devices (eBPF)
s_devices() {
  say "devices: the eBPF device filter"
  out=$(jr run --bundle "$B/dev-deny" dev-deny)
  log <<<"$out"
  errno=$(jstr "$out" errno)
  check devices.deny "open of /dev/fuse (c 10:229, mknod'd, not allowed) fails with $errno (EPERM)" '[ "$errno" = EPERM ]'
  out=$(jr run --bundle "$B/dev-null" dev-null)
  log <<<"$out"
  check devices.default-allow "open of /dev/null (runc's default list) succeeds" '[[ $out == *"\"ok\":true"* ]]'
  out=$(jr run --bundle "$B/dev-allow" dev-allow)
  log <<<"$out"
  errno=$(jstr "$out" errno)
  check devices.allow-rule "with the rule allow c 10:229 rwm the filter lets /dev/fuse through: ${errno:-ok} (the driver's answer, not EPERM)" \
    '[[ $out == *"\"path\":\"/dev/fuse\""* ]] && [ "$errno" != EPERM ]'
  out=$(jr run --bundle "$B/dev-ra" dev-ra 2>&1)
  log <<<"$out"
  # no fuse driver in the guest: a read the filter lets through gets the driver's ENODEV
  check devices.access-a "access \"ar\" is accepted and means r: the filter lets /dev/fuse open for reading, not for writing" \
    '[[ $out != *"can'"'"'t open /dev/fuse: Operation not permitted"* ]] && ! hasline "$out" write-allowed &&
      [[ $out == *"can'"'"'t create /dev/fuse: Operation not permitted"* ]]'
}

# ------------------------------------------------------------------ ps, kill --all, delete
s_killall() {
  say "kill --all: cgroup.kill (no pid namespace: killing init alone would leave the rest)"
  detach killall
  wait_for 'procs=$(cgf killall cgroup.procs); [ "$(wc -w <<<"$procs")" -ge 3 ]'
  ps=$(jr ps --format json killall)
  log <<<"ps --format json: $ps"
  check ps.json "ps --format json lists the 3 processes of the cgroup ($procs): $ps" \
    '[ "$(wc -w <<<"$procs")" = 3 ] && [ "${ps//[^,]/}" = ",," ]'
  jr kill --all killall KILL | log
  wait_status killall stopped
  wait_for 'dead $procs'
  left=$(cgf killall cgroup.procs)
  check killall.all-dead "kill --all KILL: every process ($procs) is dead, cgroup.procs='$left', state $st" \
    'dead $procs && [ -z "$left" ] && [ "$st" = stopped ]'
  jr delete killall | log
  check killall.delete "delete removes /$CGPARENT/killall" 'gone killall'
}

# ------------------------------------------------------------------ events
s_events() {
  say "events: --stats and OOM"
  detach events
  ev=$(jr events --stats events)
  log <<<"$ev"
  # "usage" is both under cpu and under memory
  pidsj=$(jobj "$ev" pids); cpuj=$(jobj "${ev#*\"cpu\":}" usage); memj=$(jobj "${ev#*\"memory\":}" usage)
  check events.type "events --stats: type $(jstr "$ev" type), id $(jstr "$ev" id)" \
    '[ "$(jstr "$ev" type)" = stats ] && [ "$(jstr "$ev" id)" = events ]'
  check events.pids "pids: $pidsj (limit 20, current >= 1)" '[ "$(jnum "$pidsj" limit)" = 20 ] && ge "$(jnum "$pidsj" current)" 1'
  check events.memory "memory.usage: $memj (limit 33554432, usage > 0)" \
    '[ "$(jnum "$memj" limit)" = 33554432 ] && ge "$(jnum "$memj" usage)" 1'
  check events.cpu "cpu.usage: $cpuj (total > 0)" 'ge "$(jnum "$cpuj" total)" 1'
  jr delete --force events | log
  detach oom
  f=/tmp/events-oom.out
  # ended below, once it has reported the OOM kill or the wait for it has given up
  timeout $((3 * PATIENCE)) "$J" --root "$ROOT" events --interval 1s oom >"$f" 2>&1 &
  evpid=$!
  # the container allocates once told to: after `events` has read its baseline (its first stats line)
  wait_for 'grep -q "\"type\": *\"stats\"" "$f"'
  : >"$B/oom/rootfs/tmp/go"
  wait_for 'grep -q "\"type\": *\"oom\"" "$f"'
  oomev=$(grep -m1 '"type": *"oom"' "$f")
  kill $evpid 2>/dev/null
  check events.oom "events reports the OOM kill: $oomev" '[[ $oomev == *"\"id\":\"oom\""* ]]'
  jr delete --force oom | log
}

# ------------------------------------------------------------------ unified
s_unified() {
  say "unified: linux.resources.unified"
  out=$(jr run --bundle "$B/unified" unified)
  log <<<"$out"
  check unified.written "unified {pids.max: 42, memory.high: 50331648} written, and wins over pids.limit 10: ${out//$'\n'/ }" \
    'hasline "$out" pids.max=42 && hasline "$out" memory.high=50331648'
  err=$(jr create --bundle "$B/unified-rdma" unified-rdma); rc=$?
  log <<<"$err"
  check unified.unavailable "a key of an unavailable controller (rdma.max) is refused at create (exit $rc), naming controller and key" \
    '[ "$rc" = 1 ] && [[ $err == *"cgroup controller rdma is not available"*"unified[\"rdma.max\"]"* ]]'
  check unified.unavailable-clean "no cgroup and no container left behind" \
    '[ ! -e "$CG/unified-rdma" ] && [ ! -e "$ROOT/unified-rdma" ]'
  err=$(jr create --bundle "$B/unified-nofile" unified-nofile); rc=$?
  log <<<"$err"
  check unified.no-such-file "a key naming no file (pids.bogus) is refused at create (exit $rc)" \
    '[ "$rc" = 1 ] && [[ $err == *"unified[\"pids.bogus\"]"* ]]'
  check unified.no-such-file-clean "no cgroup and no container left behind" \
    '[ ! -e "$CG/unified-nofile" ] && [ ! -e "$ROOT/unified-nofile" ]'
}

# ------------------------------------------------------------------ cgroup namespace
s_cgns() {
  say "cgroupns: /sys/fs/cgroup inside is cgroup2 rooted at the container's cgroup"
  detach cgns
  state=$(jr state cgns); pid=$(jnum "$state" pid)
  host=$(</proc/"$pid"/cgroup)
  check cgns.host-view "seen from the guest the container's init (pid $pid) is in $host" '[ "$host" = "0::/$CGPARENT/cgns" ]'
  in=$(jr exec cgns /bin/sh -c 'echo "cgroup=$(cat /proc/self/cgroup)"
    awk '"'"'$5 == "/sys/fs/cgroup" { print "mount=" $4 " " $(NF-2) }'"'"' /proc/self/mountinfo
    echo "pids.max=$(cat /sys/fs/cgroup/pids.max)"')
  log <<<"$in"
  check cgns.proc-self "/proc/self/cgroup inside: $(kvs cgroup= <<<"${in//=/= }")" 'hasline "$in" cgroup=0::/'
  check cgns.mount "/sys/fs/cgroup inside: $(kvs mount= <<<"${in//=/= }") (mount root /, cgroup2)" 'hasline "$in" "mount=/ cgroup2"'
  check cgns.rooted "it shows the container's own cgroup: pids.max=$(kvs pids.max= <<<"${in//=/= }") (33)" 'hasline "$in" pids.max=33'
  jr delete --force cgns | log
  check cgns.delete "delete --force removes /$CGPARENT/cgns" 'gone cgns'
}

# ------------------------------------------------------------------ update --memory -1 under a swap limit
s_swap() {
  mkdir -p "$CG"
  if [ ! -e "$CG/memory.swap.max" ]; then
    echo "NOT CHECKED: swap: this guest kernel has no memory.swap.max (no swap accounting)"
    return
  fi
  say "swap: memory 64 MiB, memory+swap 128 MiB; update --memory -1 lifts both"
  detach swap
  mmax=$(cgf swap memory.max); smax=$(cgf swap memory.swap.max)
  check swap.before "memory.max=$mmax, memory.swap.max=$smax (swap alone: 64 MiB)" \
    '[ "$mmax" = 67108864 ] && [ "$smax" = 67108864 ]'
  out=$(jr update --memory -1 swap); rc=$?
  log <<<"$out"
  mmax=$(cgf swap memory.max); smax=$(cgf swap memory.swap.max)
  check swap.lifted "update --memory -1 (exit $rc): memory.max=$mmax, memory.swap.max=$smax" \
    '[ "$rc" = 0 ] && [ "$mmax" = max ] && [ "$smax" = max ]'
  jr update --memory 64m --memory-swap 128m swap | log
  out=$(jr update -r - swap <<<'{"memory":{"limit":-1}}'); rc=$?
  log <<<"$out"
  mmax=$(cgf swap memory.max); smax=$(cgf swap memory.swap.max)
  check swap.lifted-json "update -r - {memory: {limit: -1}} (exit $rc): memory.max=$mmax, memory.swap.max=$smax" \
    '[ "$rc" = 0 ] && [ "$mmax" = max ] && [ "$smax" = max ]'
  jr delete --force swap | log
}

# ------------------------------------------------------------------ a cgroup already in use
s_taken() {
  say "taken: create in a cgroup that holds a process, or is frozen"
  # matched within the output: the error may come as a bare line or as a logrus line
  not_empty="container's cgroup is not empty: 1 process(es) found"
  frozen_msg="container's cgroup unexpectedly frozen"
  mkdir -p "$CG/taken"
  sleep 300 &
  other=$!
  echo "$other" >"$CG/taken/cgroup.procs"
  err=$(jr run -d --bundle "$B/taken" taken </dev/null); rc=$?
  log <<<"$err"
  check taken.not-empty "run -d in a cgroup holding a process is refused (exit $rc): $err" \
    '[ "$rc" = 1 ] && [[ $err == *"$not_empty"* ]]'
  jr delete --force taken | log
  procs=$(cgf taken cgroup.procs)
  check taken.kept "the cgroup and its process are left alone: cgroup.procs=$procs, no container" \
    '[ "$procs" = "$other" ] && [ ! -e "$ROOT/taken" ]'
  kill "$other"; wait "$other" 2>/dev/null
  rmdir "$CG/taken"
  mkdir -p "$CG/frozen"
  echo 1 >"$CG/frozen/cgroup.freeze"
  t=$SECONDS
  err=$(jr run -d --bundle "$B/frozen" frozen </dev/null); rc=$?
  took=$((SECONDS - t))
  log <<<"$err"
  check taken.frozen "run -d in a frozen cgroup is refused at once (exit $rc, $took s): $err" \
    '[ "$rc" = 1 ] && [[ $err == *"$frozen_msg"* ]] && [ "$took" -lt 30 ]'
  jr delete --force frozen | log
  freeze=$(cgf frozen cgroup.freeze)
  check taken.frozen-kept "the frozen cgroup is left as it was: cgroup.freeze=$freeze, no container" \
    '[ -d "$CG/frozen" ] && [ "$freeze" = 1 ] && [ ! -e "$ROOT/frozen" ]'
  # a cgroup made under a frozen one is born frozen
  err=$(jr run -d --bundle "$B/frozen-child" frozen-child </dev/null); rc=$?
  log <<<"$err"
  check taken.frozen-child "a new cgroup under it would be born frozen: refused too (exit $rc): $err" \
    '[ "$rc" = 1 ] && [[ $err == *"$frozen_msg"* ]] && [ ! -e "$CG/frozen/child" ]'
  echo 0 >"$CG/frozen/cgroup.freeze"
  rmdir "$CG/frozen"
}

ALL="env memory pids cpu cpuset pause update devices killall events unified cgns swap taken"
for s in ${SCENARIOS:-$ALL}; do
  "s_$s"
done
rmdir "$CG/nested" "$CG" 2>/dev/null
echo "== guest summary: pass=$pass fail=$fail, $(elapsed) s in the guest"
exit 0
