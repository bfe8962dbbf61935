#!/usr/bin/env bash
# The Dockerfile parser's fuzzer: kept for habit, see scripts/fuzz.sh.
#
#   scripts/fuzz-parser.sh [SECONDS] [JOBS]     =   scripts/fuzz.sh parser [SECONDS] [JOBS]
exec "$(dirname "$0")/fuzz.sh" parser "$@"
