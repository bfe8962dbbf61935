# The two commands of the README: `make site` and `make test`.
SWIFT ?= swift
PYTHON ?= python3
KB_RELEASE := .build/release/kb

.PHONY: site test deps test-deps release swift-test parser-compare browser-test kill-test fuzz clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

release: deps
	$(SWIFT) build -c release --product kb

site: release
	$(KB_RELEASE) build

# Every test: Swift Testing suites (unit, conformance, end to end), the parser against
# BuildKit's own (PyPI dockerfile), the site in a real browser, then kb build and kb record
# killed at random moments.
test: test-deps swift-test parser-compare browser-test kill-test

swift-test:
	$(SWIFT) build --build-tests
	$(SWIFT) test

parser-compare:
	$(PYTHON) scripts/compare-with-buildkit.py --kb .build/debug/kb

browser-test:
	$(PYTHON) -m pytest -q Tests/browser
	$(PYTHON) -m pytest -q Tests/python

# SIGKILL at random moments: KILL_BUILDS kills of kb build (about a minute and a half with a
# debug kb), KILL_RECORDS of kb record with buildah (skipped where no engine can run).
KILL_BUILDS ?= 50
KILL_RECORDS ?= 5
kill-test:
	$(SWIFT) build --product kb
	$(PYTHON) scripts/kill-test.py --kb .build/debug/kb --build-kills $(KILL_BUILDS) --record-kills $(KILL_RECORDS)

# Not part of `make test`: the sanitized build of the fuzz targets takes several minutes.
# Each target runs FUZZ_SECONDS, one after the other.
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh parser $(FUZZ_SECONDS)
	scripts/fuzz.sh front-matter $(FUZZ_SECONDS)
	scripts/fuzz.sh pipeline $(FUZZ_SECONDS)

clean:
	rm -rf .build Site artifacts
