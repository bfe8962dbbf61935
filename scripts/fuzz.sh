#!/usr/bin/env bash
# Builds one of kb's libFuzzer targets and runs it.
#
#   scripts/fuzz.sh TARGET [SECONDS] [JOBS]     (default: 60 seconds, 1 job)
#
# TARGET is one of
#   parser         Dockerfile bytes -> tokenizer, parser, shell lexer   (Fuzz/Parser)
#   front-matter   article bytes -> TextDecoding, FrontMatterParser       (Fuzz/FrontMatter)
#   pipeline       article bytes -> readArticle, Checker, article page    (Fuzz/Pipeline)
#
# The targets are executables of Package.swift that exist only when KB_FUZZ is set. They are
# built by SwiftPM into .build-fuzz (its own scratch path) with -sanitize=fuzzer,address and
# -enable-testing (the targets check internal invariants through @testable imports); each
# target's main.swift starts libFuzzer's driver. The first build takes several minutes.
#
# The corpus starts from seeds taken from the repository (Dockerfiles, articles, BuildKit's
# conformance inputs when ../shared exists) and grows in .build-fuzz/corpus/TARGET between
# runs. A crashing or failing input is written to .build-fuzz/crashes/TARGET/. The fuzzer runs
# under `nice -n ${KB_FUZZ_NICE:-19}`. Prints executions, coverage and corpus size; exits 1 when
# the target crashed or an invariant failed, 2 when it could not be built.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
target=${1:-}
case "$target" in
  parser | front-matter | pipeline) ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
seconds=${2:-60}
jobs=${3:-1}
scratch=.build-fuzz
product="fuzz-$target"
corpus="$scratch/corpus/$target"
seeds="$scratch/seeds/$target"
crashes="$scratch/crashes/$target"
mkdir -p "$corpus" "$crashes"
rm -rf "$seeds"
mkdir -p "$seeds"

# --- build --------------------------------------------------------------------------------
build_log="$scratch/build-$target.log"
echo "fuzz: building $product (swift build -c release --scratch-path $scratch)" >&2
if ! KB_FUZZ=1 nice -n "${KB_FUZZ_NICE:-19}" swift build -c release --scratch-path "$scratch" --product "$product" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing >"$build_log" 2>&1; then
  grep -E 'error|warning: unre' "$build_log" | head -20 >&2 || tail -20 "$build_log" >&2
  echo "fuzz: build failed (log: $build_log)" >&2
  exit 2
fi
binary="$(KB_FUZZ=1 swift build -c release --scratch-path "$scratch" --show-bin-path)/$product"

# --- seeds --------------------------------------------------------------------------------
conformance=../shared/conformance/buildkit-parser
case "$target" in
  parser)
    cp Tests/KBDockerfileTests/Fixtures/real-world/*.Dockerfile "$seeds/" 2>/dev/null || true
    for f in Examples/*/Dockerfile; do cp "$f" "$seeds/example-$(basename "$(dirname "$f")")"; done
    if [ -d "$conformance" ]; then
      for f in "$conformance"/testfiles/*/Dockerfile "$conformance"/testfiles-negative/*/Dockerfile; do
        cp "$f" "$seeds/conformance-$(basename "$(dirname "$f")")"
      done
    fi
    max_len=8192
    ;;
  front-matter | pipeline)
    for f in Content/*.md; do cp "$f" "$seeds/article-$(basename "$f")"; done
    # Small articles that reach each kind of block and figure.
    printf -- '---\ntitle: T\ntags: [a, b]\norder: 2\ndate: 2026-01-02\ndraft: false\nsummary: S\nextra: {x: 1}\n---\n# H\n' >"$seeds/all-keys.md"
    printf -- '---\ntitle: T\n---\n## Overview\n\n[o](other.md#overview) [f](picture.png) [r](../rules/KB101.html) [x](https://example.org)\n\n```dockerfile example=c-static-glibc-scratch\n```\n' >"$seeds/links.md"
    printf -- '---\ntitle: T\n---\n```dockerfile expect=KB101 title="a"\nFROM scratch\nCOPY --from=build /a /a\n```\n\n```dockerfile fragment\nRUN apt-get install -y x\n```\n' >"$seeds/blocks.md"
    printf -- '---\ntitle: T\n---\n```kb-sizes\ncaption: C\nbaseline: c-static-glibc-scratch\nexamples: [c-static-glibc-scratch]\n```\n\n`kb:size c-static-glibc-scratch` and `kb:ratio c-static-glibc-scratch c-static-glibc-scratch`\n\n```kb-table\ndata: go-hello-2020\n```\n' >"$seeds/figures.md"
    printf -- '\xef\xbb\xbf---\r\ntitle: "<script>alert(1)</script>"\r\n---\r\n<script>x</script> <img src=x onerror=y> [a](javascript:alert(1)) ![i](data:text/html,x)\r\n' >"$seeds/hostile.md"
    max_len=16384
    ;;
esac

# --- run ----------------------------------------------------------------------------------
# Swift's own crash backtracer would run inside AddressSanitizer's report: leave it to ASan.
export SWIFT_BACKTRACE=enable=no
# Leaks are findings too, but for the toolchain's own listed in Fuzz/lsan-suppressions.txt.
export LSAN_OPTIONS="suppressions=$(pwd)/Fuzz/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
log="$scratch/last-run-$target.log"
status=0
options=(-max_total_time="$seconds" -max_len="$max_len" -timeout=60 -print_final_stats=1 -artifact_prefix="$(pwd)/$crashes/")
echo "fuzz: running $product for ${seconds}s x $jobs job(s) (log: $log)" >&2
if [ "$jobs" -gt 1 ]; then
  (cd "$scratch" && nice -n "${KB_FUZZ_NICE:-19}" "$binary" "${options[@]}" -jobs="$jobs" -workers="$jobs" \
      "corpus/$target" "seeds/$target") >"$log" 2>&1 || status=$?
  cat "$scratch"/fuzz-*.log >>"$log" 2>/dev/null || true
  rm -f "$scratch"/fuzz-*.log
else
  nice -n "${KB_FUZZ_NICE:-19}" "$binary" "${options[@]}" "$corpus" "$seeds" >"$log" 2>&1 || status=$?
fi

runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | awk '{s += $2} END {print s + 0}')
coverage=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
inputs=$(find "$corpus" -type f | wc -l)
if [ "$status" -ne 0 ] || grep -q 'ERROR: libFuzzer\|==ERROR\|Fatal error' "$log"; then
  echo "fuzz: $target FAILED after $runs executions; see $log and $crashes/" >&2
  grep -E 'Fatal error|ERROR|SUMMARY|Test unit written' "$log" | head -8 >&2
  exit 1
fi
echo "fuzz: $target: $runs executions in ${seconds}s x $jobs job(s), no crash, no invariant failure (${coverage:-no coverage line}, corpus: $inputs inputs)"
