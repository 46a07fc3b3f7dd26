#!/usr/bin/env python3
"""Runs the OCI runtime-tools validation suite against a runtime and compares with expectations.

Builds the suite once (from the runtime-tools archive in the shared conformance folder, cached
until the archive or its build script changes), runs every validation/*/*.t program with
RUNTIME=<runtime> under a time limit, writes <out>/<program>.tap, <out>/<program>.stderr and
<out>/summary.tsv and <out>/leftovers.txt (what the programs left on the host), and exits
non-zero on any difference from the expectations file: a new failure, a program that aborts or
times out, a listed failure that no longer fails, or a leftover that is not listed (and one
that is listed but no longer left).

Expectations file (tab-separated, '#' comments; conformance/expected.tsv says more):
    program  number  description  reason
A check is keyed by its description and which occurrence of that description it is in the
program's output (descriptions repeat, and a check's number shifts when an earlier case adds or
loses checks), so the number column is for the reader.  Other rows: number 'exit' (description:
the exit status a program is expected to abort with, or 'timeout'), 'diag' (an error a hook
program reports outside any check) and 'leftover' (something a program leaves on the host).
"""

import argparse
import collections
import hashlib
import json
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAP_LINE = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$')
PLAN_LINE = re.compile(r'^1\.\.(\d+)')


def die(msg):
    print('conformance: ' + msg, file=sys.stderr)
    sys.exit(2)


def find_source():
    # CI runs from a fresh clone that may live anywhere (e.g. /tmp), so ../shared may not exist.
    places = []
    if os.environ.get('JRUN_CONFORMANCE_SRC'):
        places.append(('$JRUN_CONFORMANCE_SRC', os.environ['JRUN_CONFORMANCE_SRC']))
    places.append(('../shared/conformance', os.path.join(os.path.dirname(REPO), 'shared', 'conformance')))
    places.append(('/work/shared/conformance', '/work/shared/conformance'))
    for _, d in places:
        archives = sorted(f for f in os.listdir(d) if re.match(r'runtime-tools-.*\.tar\.gz$', f)) \
            if os.path.isdir(d) else []
        if archives and os.path.isfile(os.path.join(d, 'build.sh')):
            return d, os.path.join(d, archives[-1])
    die('no runtime-tools-*.tar.gz with build.sh in any of: '
        + ', '.join('%s (%s)' % (n, p) for n, p in places))


def build_suite(suite_dir):
    src, archive = find_source()
    h = hashlib.sha256()
    for f in (archive, os.path.join(src, 'build.sh')):
        with open(f, 'rb') as fh:
            h.update(fh.read())
    digest = h.hexdigest()
    stamp = os.path.join(suite_dir, 'stamp')
    rt = os.path.join(suite_dir, 'runtime-tools')
    if os.path.exists(stamp) and open(stamp).read().strip() == digest \
            and os.path.isfile(os.path.join(rt, 'runtimetest')):
        return rt
    print('conformance: building the suite from %s' % archive, flush=True)
    t0 = time.time()
    if os.path.exists(stamp):
        os.unlink(stamp)
    r = subprocess.run(['sh', os.path.join(src, 'build.sh'), suite_dir], stdout=subprocess.DEVNULL)
    if r.returncode != 0:
        die('building the suite failed (exit %d); packaging/deps.sh installs the Go it needs'
            % r.returncode)
    with open(stamp, 'w') as fh:
        fh.write(digest + '\n')
    print('conformance: suite built in %.0f s' % (time.time() - t0), flush=True)
    return rt


UUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
TMPNAME = re.compile(r'/\S*/(ocitest|oci-)[^/\s]*')


def parse_tap(text):
    """Returns (checks, plan): checks as (number, result, description, occurrence) with result
    'ok', 'not ok', 'skip', 'todo' or 'error'.  Only lines at column 0 are checks: the YAML
    diagnostics carry the inner runtimetest's own TAP, indented.

    The hook programs (hooks, prestart, poststop, ...) report a failure only as a YAML block
    with an "error" that follows no check, under a '1..0' plan: such a block becomes an 'error'
    pseudo-check, described by the error's first line, so a regression there is not silent."""
    checks, plan, seen = [], None, collections.Counter()
    lines = text.splitlines()
    attached = False  # a YAML block here would belong to the check just read
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.strip() == '---' and line.startswith(' '):
            block = []
            while i < len(lines) and lines[i].strip() != '...':
                block.append(lines[i])
                i += 1
            i += 1
            if not attached:
                err = _yaml_error(block)
                if err is not None:
                    desc = 'error: ' + TMPNAME.sub('<bundle>', UUID.sub('<id>', err))
                    seen[desc] += 1
                    checks.append(('diag', 'error', desc, seen[desc]))
            attached = False
            continue
        if line.startswith('TAP version'):
            attached = False
        m = PLAN_LINE.match(line)
        if m:
            # some programs print two TAP documents one after the other (linux_cgroups_cpus)
            plan = (plan or 0) + int(m.group(1))
            attached = False
            continue
        m = TAP_LINE.match(line)
        if not m:
            continue
        attached = True
        result, num, desc = m.group(1), m.group(2), m.group(3)
        directive = ''
        if ' # ' in desc or desc.startswith('# '):
            desc, _, directive = (' ' + desc).partition(' # ')
            desc = desc.strip()
        d = directive.strip().lower()
        if d.startswith('skip'):
            result = 'skip'
        elif d.startswith('todo'):
            result = 'todo'
        desc = desc.replace('\t', ' ').strip()
        seen[desc] += 1
        checks.append((int(num) if num else len(checks) + 1, result, desc, seen[desc]))
    return checks, plan


def _yaml_error(block):
    """The first line of the "error" in a tap-go YAML block (which tap-go writes as JSON)."""
    try:
        doc = json.loads('\n'.join(block))
    except ValueError:
        return None
    if not isinstance(doc, dict) or not doc.get('error'):
        return None
    return str(doc['error']).strip().split('\n')[0].replace('\t', ' ')


# ---- what a program leaves behind on the host --------------------------------------------

def mounts():
    out = set()
    with open('/proc/self/mountinfo') as fh:
        for line in fh:
            f = line.split()
            out.add((f[4], f[3], line.split(' - ')[1].split()[1]))
    return out


def cgroup_dirs():
    out = set()
    for top, dirs, _ in os.walk('/sys/fs/cgroup'):
        for d in dirs:
            out.add(os.path.join(top, d))
    return out


def listdir(d):
    try:
        return set(os.listdir(d))
    except FileNotFoundError:
        return set()


def procs():
    out = {}
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % p, 'rb') as fh:
                out[p] = fh.read().replace(b'\0', b' ').decode(errors='replace').strip()
        except OSError:
            pass
    return out


# Other jobs on the machine (another checkout's `make test`, a container manager) create and
# remove cgroups, mounts and containers while the suite runs.  Only what can be the suite's own
# is looked at, and touched: the programs name containers with UUIDs, use the cgroup paths
# /cgrouptest and testdir/cgrouptest/container (or the runtime's default, named after the
# container id), and put bundles in the private $TMPDIR.
OURS = re.compile(r'(^|/)(cgrouptest|testdir|ocitest[^/]*|oci-pid[^/]*)(/|$)|' + UUID.pattern)


class HostState:
    def __init__(self, state_dir, tmp):
        self.state_dir, self.tmp = state_dir, tmp
        self.mounts, self.cgroups = mounts(), cgroup_dirs()
        self.states, self.procs = listdir(state_dir), procs()
        self.temps = listdir(tmp)

    def leftovers(self):
        found = []
        for mp, root, src in sorted(mounts() - self.mounts):
            if mp.startswith(self.tmp + '/') or OURS.search(mp) or OURS.search(root):
                found.append('mount %s (root %s, source %s)' % (mp, root, src))
        for d in sorted(cgroup_dirs() - self.cgroups):
            if OURS.search(d[len('/sys/fs/cgroup/'):]):
                found.append('cgroup %s' % d)
        for s in sorted(listdir(self.state_dir) - self.states):
            if UUID.fullmatch(s):
                found.append('state %s' % os.path.join(self.state_dir, s))
        for b in sorted(listdir(self.tmp) - self.temps):
            found.append('bundle/temp %s' % os.path.join(self.tmp, b))
        for pid, cmd in sorted(procs().items()):
            if pid not in self.procs and ('runtimetest' in cmd or self.tmp in cmd):
                found.append('process %s: %s' % (pid, cmd[:120]))
        return found


def leftover_keys(found, tmp):
    """Leftovers as stable keys: random names replaced, a cgroup counted once for all the
    controllers it is left in, and from its first test-made component on (a relative path lies
    under the runtime's own cgroup, which differs from machine to machine)."""
    keys = []
    for l in found:
        kind, _, rest = l.partition(' ')
        if kind == 'cgroup':
            m = OURS.search(rest[len('/sys/fs/cgroup/'):])
            rest = rest[len('/sys/fs/cgroup/') + m.start():].lstrip('/')
        elif kind == 'process':
            rest = rest.partition(': ')[2]
        rest = rest.replace(tmp, '$TMPDIR')
        rest = re.sub(r'(ocitest|oci-pid)\d+', r'\1*', UUID.sub('<id>', rest))
        k = '%s %s' % (kind, rest)
        if kind != 'cgroup' or k not in keys:
            keys.append(k)
    return keys


def tidy(tmp, runtime, state_dir, leftovers):
    """After recording them, removes the leftovers a later program would trip over or that
    would pile up: container state (through the runtime), the test cgroups once empty, and
    bundles with nothing mounted in them.  Mounts and processes are left alone: they are
    reported, never undone here."""
    for l in leftovers:
        if l.startswith('state '):
            subprocess.run([runtime, 'delete', '--force', os.path.basename(l[6:])],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for l in sorted((l for l in leftovers if l.startswith('cgroup ')), reverse=True):
        for top, dirs, _ in os.walk(l[7:], topdown=False):
            for d in dirs:
                _rmdir(os.path.join(top, d))
        _rmdir(l[7:])
    mounted = [m[0] for m in mounts()]
    for b in listdir(tmp):
        p = os.path.join(tmp, b)
        if not any(m == p or m.startswith(p + '/') for m in mounted):
            subprocess.run(['rm', '-rf', '--one-file-system', p])


def _rmdir(p):
    try:
        os.rmdir(p)
    except OSError:
        pass


# ---- expectations -------------------------------------------------------------------------

def load_expected(path):
    exp = collections.defaultdict(dict)
    with open(path) as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            f = line.split('\t')
            if len(f) != 4 or not f[3].strip():
                die('%s:%d: want program<TAB>number<TAB>description<TAB>reason' % (path, n))
            prog, num, desc, reason = (x.strip() for x in f)
            if num == 'exit':
                key = ('exit',)
            else:
                # the same description may be listed more than once: count occurrences
                kind = 'leftover' if num == 'leftover' else 'check'
                k = sum(1 for x in exp[prog] if x[:2] == (kind, desc)) + 1
                key = (kind, desc, k)
            if key in exp[prog]:
                die('%s:%d: %s listed twice' % (path, n, key))
            exp[prog][key] = (num, desc, reason)
    return exp


def compare(results, expected, programs, everything):
    diffs = []
    for prog in programs:
        res = results[prog]
        exp = expected.get(prog, {})
        want_exit = exp.get(('exit',))
        if res['abort']:
            if not want_exit or want_exit[1] != res['exit']:
                diffs.append('%s: aborted (%s)%s' % (prog, res['abort'],
                             ', expected exit %s' % want_exit[1] if want_exit else ''))
        elif want_exit:
            diffs.append('%s: listed as aborting (exit %s) but finished cleanly'
                         % (prog, want_exit[1]))
        by_key = {('check', c[2], c[3]): c for c in res['checks']}
        for key, (num, desc, _) in sorted(exp.items(), key=lambda kv: str(kv[1][0]).zfill(6)):
            if key == ('exit',):
                continue
            if key[0] == 'leftover':
                if key[1:] not in res['leftovers']:
                    diffs.append('%s: listed leftover %s was not left' % (prog, desc))
                continue
            c = by_key.get(key)
            if num == 'race':
                # a check whose outcome depends on which of two concurrent processes goes first
                continue
            if c is None:
                diffs.append('%s: listed failure %s - %s was not reported' % (prog, num, desc))
            elif c[1] not in ('not ok', 'error'):
                diffs.append('%s: listed failure %s - %s now %s' % (prog, c[0], desc,
                             'passes' if c[1] == 'ok' else 'is ' + c[1]))
        for c in res['checks']:
            if c[1] in ('not ok', 'error') and ('check', c[2], c[3]) not in exp:
                diffs.append('%s: new failure %s - %s' % (prog, c[0], c[2]))
        for k in res['leftovers']:
            if ('leftover',) + k not in exp:
                diffs.append('%s: left on the host: %s' % (prog, k[0]))
    if everything:
        for prog in sorted(set(expected) - set(results)):
            diffs.append('%s: listed in the expectations but not in the suite' % prog)
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runtime', required=True, help='absolute path of the runtime binary')
    ap.add_argument('--out', default=os.path.join(REPO, 'build', 'conformance'))
    ap.add_argument('--suite-dir', help='where the built suite is cached (default OUT/suite)')
    ap.add_argument('--expected', default=os.path.join(REPO, 'conformance', 'expected.tsv'))
    ap.add_argument('--no-compare', action='store_true', help='only run and summarise')
    ap.add_argument('--state-dir', help="the runtime's state root, to look for leftovers "
                    '(default /run/<runtime name>)')
    ap.add_argument('--timeout', type=int, default=int(os.environ.get("CONFORMANCE_TIMEOUT", 120)),
                    help='seconds per program')
    ap.add_argument('programs', nargs='*', help='run only these programs')
    a = ap.parse_args()

    if os.geteuid() != 0:
        die('needs root: the programs create real containers')
    runtime = os.path.abspath(a.runtime)
    if not os.access(runtime, os.X_OK):
        die('runtime %s is not executable (run make first)' % runtime)
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    rt = build_suite(os.path.abspath(a.suite_dir or os.path.join(out, 'suite')))
    state_dir = a.state_dir or '/run/' + os.path.basename(runtime)

    all_progs = sorted(os.path.basename(p)[:-2] for p in
                       (os.path.join(rt, 'validation', d, d + '.t')
                        for d in os.listdir(os.path.join(rt, 'validation')))
                       if os.path.isfile(p))
    if a.programs:
        unknown = set(a.programs) - set(all_progs)
        if unknown:
            die('no such program: ' + ' '.join(sorted(unknown)))
    programs = a.programs or all_progs

    # Bundles go to os.MkdirTemp, i.e. $TMPDIR: a private one shows what a program leaves.
    tmp = os.path.join(out, 'tmp')
    if os.path.isdir(tmp):
        tidy(tmp, runtime, state_dir, [])
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, RUNTIME=runtime, TMPDIR=tmp)

    results, all_leftovers, left_short = {}, [], []
    t_all = time.time()
    for prog in programs:
        before = HostState(state_dir, tmp)
        tap, err = os.path.join(out, prog + '.tap'), os.path.join(out, prog + '.stderr')
        t0 = time.time()
        with open(tap, 'wb') as o, open(err, 'wb') as e:
            r = subprocess.run(['timeout', '-k', '10', str(a.timeout),
                                './validation/%s/%s.t' % (prog, prog)],
                               cwd=rt, env=env, stdin=subprocess.DEVNULL, stdout=o, stderr=e)
        secs = time.time() - t0
        checks, plan = parse_tap(open(tap, errors='replace').read())
        status = 'timeout' if r.returncode in (124, 137) else str(r.returncode)
        abort = ''
        if status == 'timeout':
            abort = 'timed out after %d s' % a.timeout
        elif r.returncode != 0:
            abort = 'exit %s' % status
        elif plan is None:
            # the *_fail programs print nothing at all when the runtime refused as it must
            if checks:
                abort = 'no TAP plan'
        elif plan != sum(1 for c in checks if c[1] != 'error'):
            abort = 'planned %d checks, reported %d' % (plan, len(checks))
        left = before.leftovers()
        if left:
            all_leftovers += ['%s: %s' % (prog, l) for l in left]
            tidy(tmp, runtime, state_dir, left)
        seen = collections.Counter()
        left_keys = []
        for k in leftover_keys(left, tmp):
            seen[k] += 1
            left_keys.append((k, seen[k]))
            left_short.append('%s: %s' % (prog, k))
        count = collections.Counter(c[1] for c in checks)
        results[prog] = dict(checks=checks, leftovers=left_keys, exit=status, abort=abort,
                             secs=secs, ok=count['ok'],
                             not_ok=count['not ok'], skip=count['skip'] + count['todo'],
                             errors=count['error'])
        print('%-31s ok %4d  not ok %2d  skip %2d  errors %d  exit %-3s %5.1f s%s' % (
            prog, count['ok'], count['not ok'], count['skip'] + count['todo'], count['error'],
            status, secs, '  ' + abort if abort else ''), flush=True)

    with open(os.path.join(out, 'summary.tsv'), 'w') as fh:
        fh.write('program\tok\tnot_ok\tskip\texit\terrors\tseconds\n')
        for prog in programs:
            r = results[prog]
            fh.write('%s\t%d\t%d\t%d\t%s\t%d\t%.1f\n' % (prog, r['ok'], r['not_ok'], r['skip'],
                                                       r['exit'], r['errors'], r['secs']))
    with open(os.path.join(out, 'leftovers.txt'), 'w') as fh:
        fh.write(''.join(l + '\n' for l in all_leftovers))

    tot = collections.Counter()
    for r in results.values():
        tot.update(ok=r['ok'], not_ok=r['not_ok'], skip=r['skip'], errors=r['errors'])
    clean = sum(1 for r in results.values() if not r['not_ok'] and not r['errors'] and not r['abort'])
    print('\n%s: %d programs in %.0f s: ok %d, not ok %d, skip %d, errors outside checks %d; '
          '%d fully clean, %d aborted'
          % (os.path.basename(runtime), len(programs), time.time() - t_all, tot['ok'],
             tot['not_ok'], tot['skip'], tot['errors'], clean,
             sum(1 for r in results.values() if r['abort'])))
    print('TAP files and summary.tsv in %s' % out)
    if all_leftovers:
        print('\nleft on the host by the programs (every path in leftovers.txt):')
        for l in left_short:
            print('  ' + l)

    if a.no_compare:
        return 0
    diffs = compare(results, load_expected(a.expected), programs, not a.programs)
    shown = os.path.relpath(a.expected, REPO) if os.path.abspath(a.expected).startswith(REPO + '/') \
        else a.expected
    if diffs:
        print('\n%d difference(s) from %s:' % (len(diffs), shown))
        for d in diffs:
            print('  ' + d)
        return 1
    print('\nall results as expected (%s)' % shown)
    return 0


if __name__ == '__main__':
    sys.exit(main())
