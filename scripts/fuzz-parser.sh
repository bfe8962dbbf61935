#!/usr/bin/env bash
# Builds the libFuzzer target for the Dockerfile parser and runs it.
#
#   scripts/fuzz-parser.sh [SECONDS] [JOBS]     (default: 60 seconds, 1 job)
#
# The target (Fuzz/ParserFuzzTarget.swift) is compiled with the module's sources by
# swiftc -sanitize=fuzzer (plus AddressSanitizer) into .build-fuzz/, outside SwiftPM.
# The corpus starts from the real-world fixtures and, when present, BuildKit's
# conformance inputs, and grows in .build-fuzz/corpus between runs. Crashing inputs are
# written to .build-fuzz/crash-*. Prints the number of executions that ran clean.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${2:-1}
out=.build-fuzz
mkdir -p "$out/corpus" "$out/seeds"

sources=(Sources/KBDockerfile/*.swift Fuzz/ParserFuzzTarget.swift)
binary="$out/parser-fuzz"
if [ ! -x "$binary" ] || [ -n "$(find "${sources[@]}" -newer "$binary" 2>/dev/null)" ]; then
  echo "fuzz-parser: building $binary" >&2
  if ! swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name KBDockerfile \
      "${sources[@]}" -o "$binary" >"$out/build.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$out/build.log" >&2
    echo "fuzz-parser: build failed" >&2
    exit 2
  fi
fi

cp Tests/KBDockerfileTests/Fixtures/real-world/*.Dockerfile "$out/seeds/" 2>/dev/null || true
conformance=../shared/conformance/buildkit-parser
if [ -d "$conformance" ]; then
  for f in "$conformance"/testfiles/*/Dockerfile "$conformance"/testfiles-negative/*/Dockerfile; do
    name=$(basename "$(dirname "$f")")
    cp "$f" "$out/seeds/conformance-$name"
  done
fi

log="$out/last-run.log"
status=0
if [ "$jobs" -gt 1 ]; then
  # parallel workers, each for the whole time budget; logs go to fuzz-N.log
  (cd "$out" && ./parser-fuzz -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" \
      -max_len=8192 -artifact_prefix=crash- corpus seeds) >"$log" 2>&1 || status=$?
  cat "$out"/fuzz-*.log >>"$log" 2>/dev/null || true
else
  (cd "$out" && ./parser-fuzz -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 \
      -artifact_prefix=crash- corpus seeds) >"$log" 2>&1 || status=$?
fi

runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | awk '{s += $2} END {print s + 0}')
if [ "$status" -ne 0 ] || grep -q 'ERROR: libFuzzer\|==ERROR\|Fatal error' "$log"; then
  echo "fuzz-parser: FAILED after $runs executions; see $log and $out/crash-*" >&2
  grep -E 'Fatal error|ERROR|SUMMARY' "$log" | head -5 >&2
  exit 1
fi
corpus=$(find "$out/corpus" -type f | wc -l)
echo "fuzz-parser: $runs executions in ${seconds}s x $jobs job(s), no crash, no invariant failure (corpus: $corpus inputs)"
