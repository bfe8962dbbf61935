#!/usr/bin/env python3
"""Compare `kb parse --format json` with BuildKit's own parser.

BuildKit's parser is available from Python as the PyPI package `dockerfile`
(https://pypi.org/project/dockerfile/, Go bindings around
github.com/moby/buildkit/frontend/dockerfile/parser). Install it with
`pip install dockerfile`.

Usage:
  scripts/compare-with-buildkit.py [--kb PATH] [--random N [--seed S]] [FILE_OR_DIR ...]

Without files, it compares every Dockerfile under
Tests/KBDockerfileTests/Fixtures/real-world/ and, when present, the BuildKit
conformance inputs in ../shared/conformance/buildkit-parser/.

Exit status: 0 when kb and BuildKit agree on every file, 1 on a difference,
2 when the `dockerfile` package or the kb binary is missing.

The package bundles an older BuildKit (v0.12.5 in dockerfile 3.4.0) than the
conformance vectors kb follows, so these known, intended differences are
normalised before comparing:
  * `cmd`/`sub_cmd`: the package keeps the keyword as written (and gives None
    for an empty one); kb lower-cases it, as the issue's JSON shape asks.
  * ENV and LABEL: BuildKit >= 0.13 adds a separator element after every
    key/value pair ("=" or "" for the legacy `ENV key value` form); the older
    parser has only the pairs. The separators are dropped from kb's value.
  * `<<` followed by blanks (`RUN << EOF`): BuildKit >= 0.13 keeps the blanks in
    the heredoc word and recognises the heredoc; 0.12 does not. Files using
    that form are reported as a known difference, not a failure.
  * `# check=` parser directive (BuildKit >= 0.14): the older parser does not
    know it, so for it the directive block ends there and a following
    `# escape=` is an ordinary comment. Such files are a known difference.
And one difference of the package's C bridge: it passes strings through
C.CString, which cuts them at a NUL character (JSON "\u0000"); kb's strings
are cut the same way before comparing.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "KBDockerfileTests" / "Fixtures" / "real-world"
CONFORMANCE = (ROOT / ".." / "shared" / "conformance" / "buildkit-parser").resolve()

KEY_VALUE_COMMANDS = {"env", "label"}


def find_kb(explicit: str | None) -> Path | None:
    candidates = [explicit] if explicit else []
    candidates += [
        os.environ.get("KB_BINARY"),
        str(ROOT / ".build" / "debug" / "kb"),
        str(ROOT / ".build" / "release" / "kb"),
        str(ROOT / ".build-parser" / "debug" / "kb"),
        str(ROOT / ".build-parser" / "release" / "kb"),
    ]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return Path(c)
    return None


def collect(paths: list[str]) -> list[Path]:
    if not paths:
        files = sorted(FIXTURES.glob("*.Dockerfile"))
        for sub in ("testfiles", "testfiles-negative"):
            d = CONFORMANCE / sub
            if d.is_dir():
                files += sorted(d.glob("*/Dockerfile"))
        if (CONFORMANCE / "testfile-line" / "Dockerfile").is_file():
            files.append(CONFORMANCE / "testfile-line" / "Dockerfile")
        return files
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(x for x in p.rglob("*") if x.is_file() and ("Dockerfile" in x.name))
        else:
            out.append(p)
    return out


def buildkit(path: Path, dockerfile) -> tuple[str, object]:
    try:
        commands = dockerfile.parse_file(str(path))
    except dockerfile.GoParseError as e:
        return "error", str(e)
    except UnicodeDecodeError:
        # BuildKit produced a string that is not valid UTF-8 (a flag cut inside a
        # character); the package cannot hand it to Python.
        return "unrepresentable", None
    out = []
    for c in commands:
        out.append({
            "cmd": (c.cmd or "").lower(),
            "sub_cmd": c.sub_cmd.lower() if c.sub_cmd else None,
            "json": c.json,
            "original": c.original or "",
            "start_line": c.start_line,
            "end_line": c.end_line,
            "flags": list(c.flags),
            "value": list(c.value),
            "heredocs": [{"name": h.name, "content": h.content} for h in c.heredocs],
        })
    return "ok", out


def kb_parse(kb: Path, path: Path) -> tuple[str, object]:
    p = subprocess.run([str(kb), "parse", "--format", "json", str(path)],
                       capture_output=True, text=True, encoding="utf-8", errors="replace")
    if p.returncode == 1:
        return "error", p.stderr.strip()
    if p.returncode != 0:
        raise RuntimeError(f"kb parse {path} exited {p.returncode}: {p.stderr.strip()}")
    commands = json.loads(p.stdout)

    def cut(v):
        if isinstance(v, str):
            return v.split("\x00", 1)[0]
        if isinstance(v, list):
            return [cut(x) for x in v]
        if isinstance(v, dict):
            return {k: cut(x) for k, x in v.items()}
        return v

    commands = cut(commands)
    for c in commands:
        command = c["sub_cmd"] if c["sub_cmd"] else c["cmd"]
        if command in KEY_VALUE_COMMANDS:
            # drop BuildKit >= 0.13's separator after each key/value pair
            c["value"] = [v for i, v in enumerate(c["value"]) if i % 3 != 2]
        c["original"] = c["original"] or ""
    return "ok", commands


HEREDOC_WITH_BLANKS = re.compile(r"<<-?[ \t]+\S")
CHECK_THEN_ESCAPE = re.compile(r"\A(?:\ufeff)?(?:[ \t]*#[^\n]*\n)*?[ \t]*#[ \t]*check[ \t]*=.*\n(?:[ \t]*#[^\n]*\n)*?[ \t]*#[ \t]*escape[ \t]*=",
                               re.IGNORECASE)


def known_difference(text: str) -> str | None:
    if HEREDOC_WITH_BLANKS.search(text):
        return "`<<` followed by blanks (BuildKit 0.12 vs 0.13+)"
    if CHECK_THEN_ESCAPE.search(text.replace("\r\n", "\n")):
        return "`# check=` directive before `# escape=` (BuildKit 0.12 vs 0.14+)"
    return None


ATOMS = ["a", "b=c", "x=", "=y", "\"q w\"", "'s q'", "\\", "\\ ", "`", "$V", "${V:-d}", "${", "}", "[", "]",
         "\"", "'", ",", "[\"a\"]", "[\"a\",\"b\"]", "[1]", "[\"a\"", "[]", "[\"\\u00e9\"]", "--f", "--f=v",
         "--f=\"a b\"", "--", "-", "<<EOF", "<<-EOF", "<<'EOF'", "<<\"E F\"", "2<<X", "é", "à", "\u00a0", "\u2003",
         "\t", "  ", "#", "# c", "AS", "as", "CMD", "NONE", "\\\\", "a\\ b", "k=v\\ w", "\"a\\\"b\"", "{", "}",
         ":", "null", "true", "1e999", "-1.5e3"]
KEYWORDS = ["FROM", "RUN", "CMD", "COPY", "ADD", "ENV", "LABEL", "ARG", "ONBUILD", "HEALTHCHECK", "EXPOSE", "VOLUME",
            "USER", "WORKDIR", "SHELL", "ENTRYPOINT", "STOPSIGNAL", "MAINTAINER", "FOO"]


def random_dockerfile(rnd) -> str:
    """A random Dockerfile-like text full of the constructs where parsers disagree."""
    def word():
        return "".join(rnd.choice(ATOMS) for _ in range(rnd.randint(1, 3)))

    lines = []
    if rnd.random() < 0.3:
        lines.append(rnd.choice(["# escape=`", "#escape=\\", "# syntax=x", "#ESCAPE = `", "# escape=x"]))
    for _ in range(rnd.randint(1, 10)):
        r = rnd.random()
        if r < 0.08:
            lines.append("# " + word())
        elif r < 0.12:
            lines.append("")
        elif r < 0.15:
            lines.append(rnd.choice(["  ", "\t", "\\", "`", " \\ "]))
        else:
            kw = rnd.choice(KEYWORDS)
            kw = rnd.choice([kw, kw.lower(), kw.capitalize()])
            parts = [kw] + ([rnd.choice(KEYWORDS)] if kw.upper() == "ONBUILD" else [])
            parts += [word() for _ in range(rnd.randint(0, 5))]
            line = rnd.choice([" ", " ", "\t", "  "]).join(parts)
            if rnd.random() < 0.2:
                line += rnd.choice([" \\", "\\", " \\  ", "`", " ` "])
            lines.append(line)
            if "<<" in line and rnd.random() < 0.7:
                lines += [word() for _ in range(rnd.randint(0, 2))]
                lines.append(rnd.choice(["EOF", "\tEOF", "X", "E F", "EOF "]))
    nl = "\r\n" if rnd.random() < 0.1 else "\n"
    text = nl.join(lines) + (nl if rnd.random() < 0.8 else "")
    return ("\ufeff" + text) if rnd.random() < 0.05 else text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kb", help="path to the kb binary (default: .build/debug/kb, then others)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every file")
    ap.add_argument("--random", type=int, metavar="N", default=0,
                    help="also compare N random Dockerfile-like texts (differential fuzzing)")
    ap.add_argument("--seed", type=int, default=1, help="seed for --random (default 1)")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()

    try:
        import dockerfile  # noqa: PLC0415
    except ImportError:
        print("compare-with-buildkit: the Python package 'dockerfile' is missing: pip install dockerfile",
              file=sys.stderr)
        return 2
    kb = find_kb(args.kb)
    if kb is None:
        print("compare-with-buildkit: kb binary not found; build it (swift build --product kb) or pass --kb",
              file=sys.stderr)
        return 2

    files = collect(args.paths)
    if args.random:
        import random
        import tempfile
        rnd = random.Random(args.seed)
        folder = Path(tempfile.mkdtemp(prefix="kb-random-"))
        for i in range(args.random):
            p = folder / f"random-{args.seed}-{i}.Dockerfile"
            p.write_text(random_dockerfile(rnd), encoding="utf-8")
            files.append(p)
        print(f"compare-with-buildkit: {args.random} random inputs in {folder}")
    same = differ = known = 0
    for path in files:
        expected = buildkit(path, dockerfile)
        actual = kb_parse(kb, path)
        text = path.read_bytes().decode("utf-8", "replace")
        if expected[0] == "unrepresentable":
            known += 1
            print(f"skipped  {path}: the package cannot return BuildKit's (invalid UTF-8) result")
            continue
        if expected[0] == actual[0] == "error" or expected == actual:
            same += 1
            if args.verbose:
                print(f"same     {path}")
            continue
        reason = known_difference(text)
        if reason:
            known += 1
            print(f"known    {path}: {reason}")
            continue
        differ += 1
        print(f"DIFFERS  {path}")
        if expected[0] != actual[0]:
            print(f"  buildkit: {expected[0]} {expected[1] if expected[0] == 'error' else ''}")
            print(f"  kb:       {actual[0]} {actual[1] if actual[0] == 'error' else ''}")
            continue
        for i, (e, a) in enumerate(zip(expected[1], actual[1])):
            if e != a:
                for key in e:
                    if e[key] != a.get(key):
                        print(f"  instruction {i + 1} {key}:\n    buildkit: {e[key]!r}\n    kb:       {a.get(key)!r}")
        if len(expected[1]) != len(actual[1]):
            print(f"  instruction count: buildkit {len(expected[1])}, kb {len(actual[1])}")
    print(f"compare-with-buildkit: {len(files)} files, {same} agree, {differ} differ, {known} known differences "
          f"(dockerfile {getattr(dockerfile, '__version__', 'package')}, kb {kb})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
