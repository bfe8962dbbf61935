#!/usr/bin/env python3
"""Kills `kb build` and `kb record` with SIGKILL at random moments and checks what they leave.

    scripts/kill-test.py [--kb PATH] [--build-kills N] [--edit-kills N] [--record-kills N] [--seed S] [--keep]

Part a, `kb build`: two knowledge bases A and B (generated with ../shared/bench/gen_kb.py when
it exists, else by this script) are built once each into reference folders, and the manifest
of each (relative path -> SHA-256 of the bytes) is kept. Then, alternately, the output folder
holds one of them and a build of the other is started and killed after a random delay within
a measured build's duration (half of the kills anywhere in it, half in its last part, from the
moment kb's staging folder appears, where the writing and the swap are). After every kill
the output folder must equal one manifest exactly: never a mix, never a missing file. The only
leftovers allowed are kb's hidden staging folders beside the output (`.NAME.tmp-PID-N`,
`.NAME.old-PID`, see docs/formats.md), and the next complete build must remove them.

Part c, edit builds: one article alternates between two texts no other page sees, and each
edit build is killed at a random moment; the site must be exactly one of the two, and the next
complete build must give exactly the new one (see `part_c`).

Part b, `kb record`: a one-line example built from the local debian:bookworm-slim with the
real engine of scripts/engine-setup.sh (exit 3 there: the machine cannot, part b is skipped
and says so). After every kill, results.json is absent (if it was), the previous file byte
for byte, or a new complete file valid against Schemas/results.schema.json; the record lock
is free again; the next complete `kb record` runs without waiting and removes kb's
temporary files and the run containers killed records left in buildah's storage. Processes the killed kb had started (buildah) are reaped by this script,
which makes itself their subreaper, so no engine command outlives the test.

Everything is written to a new temporary folder (removed at the end unless --keep). Prints
`kill-test: N passed, M failed` last; exits 1 if anything failed.
"""
import argparse
import ctypes
import fcntl
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN_KB = os.path.join(REPO, "..", "shared", "bench", "gen_kb.py")
SCHEMA = os.path.join(REPO, "Schemas", "results.schema.json")
ENGINE_SETUP = os.path.join(REPO, "scripts", "engine-setup.sh")
PR_SET_CHILD_SUBREAPER = 36
# Extra `kb build` flags of the mode part a is running: [] (with the build cache, the default)
# or ["--no-cache"] (a fresh staging folder beside the output).
BUILD_FLAGS = []


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"kill-test: FAILED: {what}", flush=True)
        return ok


def say(text):
    print(f"kill-test: {text}", flush=True)


# --- manifests -----------------------------------------------------------------------------

def manifest(folder):
    """Relative path -> SHA-256 of every file under `folder` (folders themselves are implied)."""
    result = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            with open(path, "rb") as f:
                result[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return result


def difference(actual, expected):
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(actual) & set(expected) if actual[p] != expected[p])
    return f"{len(missing)} missing (e.g. {missing[:2]}), {len(extra)} extra (e.g. {extra[:2]}), {len(changed)} changed (e.g. {changed[:2]})"


# --- part a: kb build --------------------------------------------------------------------------

def generate(out, count, seed):
    """A knowledge base of `count` articles whose links all resolve."""
    if os.path.isfile(GEN_KB):
        subprocess.run([sys.executable, GEN_KB, "--n", str(count), "--out", out, "--seed", str(seed), "--no-bodies"],
                       check=True, stdout=subprocess.DEVNULL)
        return
    rng = random.Random(seed)
    words = ("image layer stage base runtime static musl glibc scratch distroless binary copy "
             "build cache size digest platform shell user entrypoint package slim").split()
    content = os.path.join(out, "Content")
    os.makedirs(content)
    for i in range(1, count + 1):
        other = rng.randint(1, count)
        lines = ["---", f"title: Article {i} {rng.choice(words)}", f"summary: About {rng.choice(words)} and {rng.choice(words)}.",
                 f"tags: [{rng.choice(words)}, {rng.choice(words)}]", "---", "",
                 f"Intro with a [link](post-{other:05d}.md#overview) and `code`.", ""]
        for section in ("Overview", "Build stage", "Runtime stage", "Results"):
            lines += [f"## {section}", ""]
            for _ in range(4):
                lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(12, 30))) + ".")
                lines.append("")
        lines += ["```dockerfile", "FROM debian:bookworm-slim AS build", "RUN echo built > /out",
                  "FROM scratch", "COPY --from=build /out /out", "```", ""]
        with open(os.path.join(content, f"post-{i:05d}.md"), "w") as f:
            f.write("\n".join(lines))


def spread_delays(rng, count, duration):
    """`count` random moments in [0, duration), one in each of `count` equal slices, shuffled:
    uniform, and the end of the run (where the swap or the write is) is never left out."""
    delays = [duration * (k + rng.random()) / count for k in range(count)]
    rng.shuffle(delays)
    return delays


def wait_or_kill(process, delay):
    """Waits `delay` seconds for the process, SIGKILLs it if still running; True if it exited.

    The process may exit between the timeout and the signal (the signal then reaches a zombie,
    or is not sent at all): its return code, not the timeout, says which happened."""
    try:
        process.wait(timeout=delay)
        return True
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return process.returncode != -signal.SIGKILL


def start_and_kill(command, delay):
    """Runs `command` and SIGKILLs it after `delay` seconds unless it exited first: (exited,
    return code, standard error)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    exited = wait_or_kill(process, delay)
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    return exited, process.returncode, stderr


def run_build(kb, root, output, flags=None):
    started = time.monotonic()
    done = subprocess.run([kb, "build", "--root", root, "--output", output] + (BUILD_FLAGS if flags is None else flags),
                          capture_output=True, text=True)
    return done, time.monotonic() - started


def publish_start(kb, root, site):
    """Seconds from the start of a complete build to the appearance of its staging folder."""
    parent = os.path.dirname(site)
    started = time.monotonic()
    process = subprocess.Popen([kb, "build", "--root", root, "--output", site] + BUILD_FLAGS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = None
    while process.poll() is None and seen is None:
        if any(n.startswith(".Site.tmp-") for n in os.listdir(parent)):
            seen = time.monotonic() - started
        else:
            time.sleep(0.002)  # polling to measure, not to synchronise
    process.wait()
    return seen


def leftovers(parent, output_name):
    # The build cache beside the output is kb's, kept on purpose (docs/formats.md).
    return sorted(n for n in os.listdir(parent) if n.startswith(f".{output_name}.") and n != f".{output_name}.kb-cache")


def part_a(args, tally, work, rng):
    kb = args.kb
    say(f"part a: kb build killed {args.build_kills} times ({'gen_kb.py' if os.path.isfile(GEN_KB) else 'articles generated here'})")
    # Calibrate the size: a build of the knowledge base should take about --build-seconds.
    # Proportional steps from 100 articles; the machine may be shared, so a few rounds.
    probe = os.path.join(work, "probe")
    count = 100
    for _ in range(3):
        shutil.rmtree(probe, ignore_errors=True)
        generate(probe, count, 7)
        # Full builds (no cache): the kills below alternate two different knowledge bases,
        # so every build there makes nearly every page again, cache or not.
        run_build(kb, probe, os.path.join(probe, "Site"), ["--no-cache"])  # the first reads cold files
        done, seconds = run_build(kb, probe, os.path.join(probe, "Site"), ["--no-cache"])
        if not tally.check(done.returncode == 0, f"calibration build of {count} articles exited {done.returncode}: {done.stderr[-800:]}"):
            return
        say(f"calibration: {count} articles build in {seconds:.2f} s")
        if 0.8 * args.build_seconds <= seconds <= 1.25 * args.build_seconds:
            break
        count = int(min(max(count * args.build_seconds / max(seconds, 0.05), 20), 8000))
    shutil.rmtree(probe)

    roots = {"A": os.path.join(work, "kb-A"), "B": os.path.join(work, "kb-B")}
    generate(roots["A"], count, 1)
    generate(roots["B"], count + 3, 2)   # other texts, and three more articles: other pages too

    manifests = {}
    for name, root in roots.items():
        reference = os.path.join(work, f"reference-{name}")
        done, seconds = run_build(kb, root, reference)
        if not tally.check(done.returncode == 0, f"reference build {name} exited {done.returncode}: {done.stderr[-800:]}"):
            return
        manifests[name] = manifest(reference)
        shutil.rmtree(reference)
    tally.check(manifests["A"] != manifests["B"] and ".kb-site" in manifests["A"], "the reference sites A and B differ and carry .kb-site")
    say(f"reference sites: A {len(manifests['A'])} files, B {len(manifests['B'])} files")

    parent = os.path.join(work, "out")
    os.makedirs(parent)
    site = os.path.join(parent, "Site")
    durations = []
    for name in ("A", "B"):
        done, seconds = run_build(kb, roots[name], site)
        if not tally.check(done.returncode == 0 and manifest(site) == manifests[name],
                           f"a complete build of {name} over the previous site gives manifest {name}"):
            return
        durations.append(seconds)
    duration = sum(durations) / len(durations)
    # When the staging folder appears (the write begins), seen by polling during one more
    # build: half the kills land anywhere in the build, half from there to its end.
    writing = publish_start(kb, roots["A"], site) or 0.0
    current = "A"
    writing = min(writing, duration * 0.95)
    say(f"a build over an existing site takes {duration:.2f} s, and starts writing at {writing:.2f} s: "
        f"{args.build_kills - args.build_kills // 2} kills land uniformly in [0, {duration:.2f}) s, "
        f"{args.build_kills // 2} in [{writing:.2f}, {duration:.2f}) s")
    delays = spread_delays(rng, args.build_kills - args.build_kills // 2, duration)
    delays += [writing + d for d in spread_delays(rng, args.build_kills // 2, duration - writing)]
    rng.shuffle(delays)

    staging_name = re.compile(r"^\.Site\.(tmp-\d+-\d+|old-\d+)$")
    outcomes = {"before the swap (old site kept)": 0, "during the swap (new site, old copy not yet removed)": 0,
                "after the swap (new site, clean)": 0, "after kb had exited": 0}
    started = time.monotonic()
    cleaning_builds = 0
    for i, delay in enumerate(delays):
        target = "A" if current == "B" else "B"
        exited, returncode, stderr = start_and_kill([kb, "build", "--root", roots[target], "--output", site] + BUILD_FLAGS, delay)
        if exited:
            tally.check(returncode == 0, f"kill {i + 1}: the build ended by itself with {returncode}: {stderr[-400:]}")

        found = manifest(site) if os.path.isdir(site) else {}
        left = leftovers(parent, "Site")
        if found == manifests[current]:
            outcome = "before the swap (old site kept)"
        elif found == manifests[target]:
            if exited:
                outcome = "after kb had exited"
            elif left:
                outcome = "during the swap (new site, old copy not yet removed)"
            else:
                outcome = "after the swap (new site, clean)"
            current = target
        else:
            tally.check(False, f"kill {i + 1} at {delay:.3f} s: Site/ is neither A nor B: against A {difference(found, manifests['A'])}; "
                               f"against B {difference(found, manifests['B'])}")
            return
        tally.check(True, "Site/ is exactly A or exactly B")
        outcomes[outcome] += 1
        tally.check(all(staging_name.match(n) for n in left), f"kill {i + 1}: only kb's staging folders are left beside Site/: {left}")
        if left:
            # The next complete build must remove them (and leave the same site).
            cleaning_builds += 1
            done, _ = run_build(kb, roots[current], site)
            tally.check(done.returncode == 0 and manifest(site) == manifests[current] and not leftovers(parent, "Site"),
                        f"kill {i + 1}: the next build removes the leftovers {left} (still there: {leftovers(parent, 'Site')})")
    elapsed = time.monotonic() - started

    # A staging folder killed before kb wrote its marker into it is empty: also kb's to remove.
    empty = os.path.join(parent, ".Site.tmp-999999-1")
    os.mkdir(empty)
    done, _ = run_build(kb, roots[current], site)
    tally.check(done.returncode == 0 and not os.path.exists(empty), "an empty staging folder (killed before its marker) is removed by the next build")
    tally.check(not leftovers(parent, "Site") and manifest(site) == manifests[current], "the final build leaves no staging folder and a complete site")

    say(f"part a: {args.build_kills} kills in {elapsed:.1f} s ({cleaning_builds} extra builds to check leftovers are removed); kills landed:")
    for name, number in outcomes.items():
        say(f"  {number:3d} {name}")


# --- part c: edit builds -----------------------------------------------------------------------

def part_c(args, tally, work, rng):
    """Edit builds killed: one article of a generated knowledge base alternates between two
    texts that no other page sees, so every build after the first is an edit build (it
    writes the edited page, the search index, the manifests, the exchange and its state).
    After each kill the site must be exactly one of the two; then a complete build, edit or
    cached (whichever the state the kill left allows), must give exactly the new one."""
    kb = args.kb
    say(f"part c: edit builds killed {args.edit_kills} times")
    root = os.path.join(work, "kb")
    generate(root, 1000, 3)
    article = os.path.join(root, "Content", "post-00500.md")
    with open(article, encoding="utf-8") as f:
        texts = [f.read()]
    texts.append(texts[0] + "\nA sentence no other page sees.\n")

    def use(variant):
        with open(article, "w", encoding="utf-8") as f:
            f.write(texts[variant])

    manifests = []
    for variant in (0, 1):
        use(variant)
        reference = os.path.join(work, f"reference-{variant}")
        done, _ = run_build(kb, root, reference, ["--no-cache"])
        if not tally.check(done.returncode == 0, f"reference build {variant} exited {done.returncode}: {done.stderr[-800:]}"):
            return
        manifests.append(manifest(reference))
        shutil.rmtree(reference)
    tally.check(manifests[0] != manifests[1], "the two texts give two different sites")

    parent = os.path.join(work, "out")
    os.makedirs(parent)
    site = os.path.join(parent, "Site")
    timing = dict(os.environ, KB_TIMINGS="1")

    def complete(variant):
        use(variant)
        started = time.monotonic()
        done = subprocess.run([kb, "build", "--root", root, "--output", site], capture_output=True, text=True, env=timing)
        return done, time.monotonic() - started, "made again" in done.stderr

    durations = []
    for variant in (0, 1, 0):
        done, seconds, edited = complete(variant)
        if not tally.check(done.returncode == 0 and manifest(site) == manifests[variant], f"a complete build of text {variant} gives its site"):
            return
        if edited:
            durations.append(seconds)
    if not tally.check(len(durations) == 2, "after the first build, each complete build is an edit build"):
        return
    duration = sum(durations) / len(durations)
    say(f"an edit build takes {duration:.2f} s: kills land uniformly in [0, {duration * 1.1:.2f}) s")
    current = 0
    outcomes = {"old site kept": 0, "new site": 0, "after kb had exited": 0}
    next_builds = {"edit": 0, "cached": 0}
    for i, delay in enumerate(spread_delays(rng, args.edit_kills, duration * 1.1)):
        target = 1 - current
        use(target)
        exited, returncode, stderr = start_and_kill([kb, "build", "--root", root, "--output", site], delay)
        if exited:
            tally.check(returncode == 0, f"edit kill {i + 1}: the build ended by itself with {returncode}: {stderr[-400:]}")
        found = manifest(site) if os.path.isdir(site) else {}
        if found == manifests[current]:
            outcomes["old site kept"] += 1
        elif found == manifests[target]:
            outcomes["after kb had exited" if exited else "new site"] += 1
        else:
            tally.check(False, f"edit kill {i + 1} at {delay:.3f} s: Site/ is neither text's site: against the old "
                               f"{difference(found, manifests[current])}; against the new {difference(found, manifests[target])}")
            return
        tally.check(True, "Site/ is exactly the old or the new site")
        left = leftovers(parent, "Site")
        tally.check(all(re.match(r"^\.Site\.(tmp-\d+-\d+|old-\d+)$", n) for n in left), f"edit kill {i + 1}: only kb's staging folders are left: {left}")
        done, _, edited = complete(target)
        next_builds["edit" if edited else "cached"] += 1
        tally.check(done.returncode == 0 and manifest(site) == manifests[target],
                    f"edit kill {i + 1} at {delay:.3f} s: the next complete build gives the new site ({'edit' if edited else 'cached'} build; "
                    f"{difference(manifest(site), manifests[target])})")
        current = target
    say(f"part c: {args.edit_kills} kills; kills landed:")
    for name, number in outcomes.items():
        say(f"  {number:3d} {name}")
    say(f"  the build after each kill: {next_builds['edit']} edit builds, {next_builds['cached']} cached builds")


# --- part b: kb record -------------------------------------------------------------------------

def engine_environment():
    """The environment of scripts/engine-setup.sh, or (None, reason) when the machine cannot."""
    done = subprocess.run(["bash", ENGINE_SETUP], capture_output=True, text=True, timeout=1800)
    if done.returncode == 3:
        return None, done.stderr.strip().splitlines()[-1:] or ["(no message)"]
    if done.returncode != 0:
        raise RuntimeError(f"scripts/engine-setup.sh exited {done.returncode}: {done.stderr[-800:]}")
    environment = dict(os.environ)
    for line in done.stdout.splitlines():
        if line.startswith("export ") and "=" in line:
            key, value = line[len("export "):].split("=", 1)
            environment[key] = value
    return environment, None


def record_lock_path(environment):
    return os.path.join(environment.get("TMPDIR") or "/tmp", "kb-record.lock")


def lock_holders(path):
    """PIDs /proc/locks names for a flock on `path`."""
    try:
        inode = os.stat(path).st_ino
        with open("/proc/locks") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    holders = []
    for line in lines:
        parts = line.split()
        if "FLOCK" in parts and len(parts) >= 6:
            # 1: FLOCK  ADVISORY  WRITE 1234 fd:00:5678 0 EOF
            device_inode = parts[5] if parts[1] == "FLOCK" else parts[6]
            pid = parts[4] if parts[1] == "FLOCK" else parts[5]
            if device_inode.rsplit(":", 1)[-1] == str(inode):
                holders.append(int(pid))
    return holders


def lock_is_free(path):
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def reap_orphans(limit_seconds=300):
    """Waits for every process the killed kb left behind (they are re-parented to us)."""
    def kill_stragglers():
        for pid in children_of(os.getpid()):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    guard = threading.Timer(limit_seconds, kill_stragglers)
    guard.start()
    reaped = 0
    try:
        while True:
            try:
                os.waitpid(-1, 0)
                reaped += 1
            except ChildProcessError:
                break
    finally:
        guard.cancel()
    return reaped


def children_of(pid):
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return found


PROBE_DOCKERFILE = """\
# A one-layer image from the local Debian base: no network, a few seconds to build.
FROM debian:bookworm-slim
COPY greeting.txt /greeting.txt
USER 10001:10001
CMD ["cat", "/greeting.txt"]
"""


def part_b(args, tally, work, rng):
    if args.record_kills == 0:
        say("part b: skipped (--record-kills 0)")
        return
    try:
        import jsonschema
    except ImportError:
        tally.check(False, "part b needs python's jsonschema (make test-deps installs it)")
        return
    environment, reason = engine_environment()
    if environment is None:
        say(f"part b: SKIPPED, no container engine can run on this machine (scripts/engine-setup.sh exit 3): {reason[0]}")
        return
    with open(SCHEMA) as f:
        schema = json.load(f)
    validator = jsonschema.validators.validator_for(schema)(schema)

    slug = "kill-probe"
    root = os.path.join(work, "record-kb")
    folder = os.path.join(root, "Examples", slug)
    os.makedirs(folder)
    with open(os.path.join(folder, "Dockerfile"), "w") as f:
        f.write(PROBE_DOCKERFILE)
    with open(os.path.join(folder, "greeting.txt"), "w") as f:
        f.write("hello from kill-test\n")
    with open(os.path.join(folder, "example.yaml"), "w") as f:
        f.write('title: Kill-test probe\nsummary: A text file in a slim image.\nrun:\n  stdout: "hello from kill-test\\n"\n')
    results = os.path.join(folder, "results.json")
    lock = record_lock_path(environment)
    command = [args.kb, "record", slug, "--root", root, "--engine", "buildah"]

    def complete_file(data):
        try:
            document = json.loads(data)
        except ValueError as error:
            return f"not JSON ({error}); {len(data)} bytes"
        problems = [e.message for e in validator.iter_errors(document)]
        if problems:
            return "not valid against the schema: " + "; ".join(problems[:3])
        if not document.get("recordings"):
            return "no recording in it"
        return None

    def record_fully(what):
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        seconds = time.monotonic() - started
        reap_orphans()
        data = open(results, "rb").read() if os.path.exists(results) else None
        ok = done.returncode == 0 and data is not None and complete_file(data) is None
        tally.check(ok, f"{what}: kb record exited {done.returncode}, results.json {'absent' if data is None else complete_file(data) or 'complete'}: {done.stderr[-600:]}")
        tally.check("another kb record is running" not in done.stderr, f"{what}: kb record did not wait for a lock ({done.stderr[-300:]})")
        tally.check(not [n for n in os.listdir(folder) if n.startswith(".kb-tmp-")], f"{what}: kb's temporary files are gone: {os.listdir(folder)}")
        return seconds

    say(f"part b: kb record killed {args.record_kills} times (buildah, {environment.get('CONTAINERS_STORAGE_CONF', 'default storage')})")
    # Two complete recordings, one without results.json and one with: their mean duration.
    duration = record_fully("the first complete recording")
    duration = (duration + record_fully("a second complete recording")) / 2
    say(f"a complete kb record of {slug} takes {duration:.2f} s: kills land uniformly in [0, {duration:.2f}) s")

    outcomes = {"absent, as before": 0, "the previous file": 0, "a new complete file": 0, "after kb had exited": 0}
    temporaries_seen = 0
    orphans = 0
    started = time.monotonic()
    for i, delay in enumerate(spread_delays(rng, args.record_kills, duration)):
        if i % 3 == 0 and os.path.exists(results):
            os.unlink(results)  # every third kill starts without a results.json
        previous = open(results, "rb").read() if os.path.exists(results) else None
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        exited = wait_or_kill(process, delay)
        # Before reaping: the lock must be free as soon as kb is gone, whatever buildah still does.
        holders = [pid for pid in lock_holders(lock) if os.path.exists(f"/proc/{pid}")]
        free = lock_is_free(lock)
        if not free and holders and all(pid not in children_of(os.getpid()) for pid in holders):
            say(f"kill {i + 1}: the record lock is held by pid {holders} (not started by this test): waiting for it")
            fd = os.open(lock, os.O_RDWR)
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.close(fd)
            free = True
        tally.check(free, f"kill {i + 1}: the record lock {lock} is free once kb is dead (holders: {holders})")
        orphans += reap_orphans()

        current = open(results, "rb").read() if os.path.exists(results) else None
        if exited:
            outcome = "after kb had exited"
            tally.check(process.returncode == 0 and current is not None and complete_file(current) is None,
                        f"kill {i + 1}: a record that ended by itself ({process.returncode}) left a complete results.json")
        elif current is None:
            outcome = "absent, as before"
            tally.check(previous is None, f"kill {i + 1} at {delay:.2f} s: results.json disappeared")
        elif current == previous:
            outcome = "the previous file"
            tally.check(True, "results.json is the previous file")
        else:
            outcome = "a new complete file"
            problem = complete_file(current)
            tally.check(problem is None, f"kill {i + 1} at {delay:.2f} s: results.json is {problem}")
        outcomes[outcome] += 1
        temporaries = [n for n in os.listdir(folder) if n.startswith(".kb-tmp-")]
        temporaries_seen += bool(temporaries)
        tally.check(all(re.match(r"^\.kb-tmp-results\.json-\d+-[0-9a-z]+$", n) for n in temporaries),
                    f"kill {i + 1}: only kb's temporary files are left in the example: {temporaries}")
    elapsed = time.monotonic() - started
    abandoned = run_containers(environment, slug)
    record_fully("the complete recording after the kills")
    left = run_containers(environment, slug)
    tally.check(not left, f"the next kb record removes the run containers killed records left: still there {left}")
    leftover = engine_leftovers(environment, slug)
    say(f"part b: {args.record_kills} kills in {elapsed:.1f} s; {orphans} engine processes outlived kb and were reaped; "
        f"{temporaries_seen} kills left a .kb-tmp-* file (removed by the next record); results.json after the kill was:")
    for name, number in outcomes.items():
        say(f"  {number:3d} {name}")
    say(f"{len(abandoned)} run containers of killed records were left in buildah's storage; the next kb record removed them")
    if leftover:
        say(f"engine leftovers of killed records, removed now: {', '.join(leftover)}")


def run_containers(environment, slug):
    listing = subprocess.run(["buildah", "containers", "--format", "{{.ContainerName}}"], capture_output=True, text=True, env=environment)
    return [name for name in listing.stdout.split() if name.startswith(f"kb-run-{slug}-")]


def engine_leftovers(environment, slug):
    """What killed records of the probe still left in buildah's storage; removes it."""
    removed = []
    for name in run_containers(environment, slug):
        subprocess.run(["buildah", "rm", name], capture_output=True, env=environment)
        removed.append(f"container {name}")
    image = f"localhost/kb-record-{slug}:latest"
    if subprocess.run(["buildah", "inspect", "--type", "image", image], capture_output=True, env=environment).returncode == 0:
        subprocess.run(["buildah", "rmi", "--force", image], capture_output=True, env=environment)
        removed.append(f"image {image}")
    return removed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_kb = os.path.join(REPO, ".build", "release", "kb")
    if not os.path.exists(default_kb):
        default_kb = os.path.join(REPO, ".build", "debug", "kb")
    parser.add_argument("--kb", default=default_kb, help="the kb binary (default: .build/release/kb, else .build/debug/kb)")
    parser.add_argument("--build-kills", type=int, default=int(os.environ.get("KB_KILL_BUILDS", 50)))
    parser.add_argument("--record-kills", type=int, default=int(os.environ.get("KB_KILL_RECORDS", 10)))
    parser.add_argument("--edit-kills", type=int, default=int(os.environ.get("KB_KILL_EDITS", 40)))
    parser.add_argument("--build-modes", default="cached,fresh",
                        help="kb build with its cache ('cached'), with --no-cache ('fresh'), or both (default)")
    parser.add_argument("--build-seconds", type=float, default=1.5, help="how long one generated build should take")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.kb = os.path.abspath(args.kb)
    if not os.access(args.kb, os.X_OK):
        print(f"kill-test: no kb binary at {args.kb} (swift build --product kb)", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    # Engine commands a killed kb leaves running are re-parented to this process, to be waited for.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        say("cannot become a subreaper: orphaned engine commands will not be waited for")
    tally = Tally()
    work = tempfile.mkdtemp(prefix="kb-kill-test-")
    say(f"seed {seed}, kb {args.kb}, work folder {work}")
    started = time.monotonic()
    try:
        global BUILD_FLAGS
        for mode in args.build_modes.split(","):
            BUILD_FLAGS = {"cached": [], "fresh": ["--no-cache"]}[mode]
            say(f"part a, mode '{mode}' (kb build {' '.join(BUILD_FLAGS) or 'with its build cache'})")
            mode_work = os.path.join(work, mode)
            os.makedirs(mode_work)
            part_a(args, tally, mode_work, rng)
        if args.edit_kills:
            os.makedirs(os.path.join(work, "edit"))
            part_c(args, tally, os.path.join(work, "edit"), rng)
        part_b(args, tally, work, rng)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    say(f"{time.monotonic() - started:.0f} s in all")
    print(f"kill-test: {tally.passed} passed, {tally.failed} failed", flush=True)
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
