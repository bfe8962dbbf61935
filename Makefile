# The two commands of the README: `make site` and `make test`.
SWIFT ?= swift
PYTHON ?= python3
KB_RELEASE := .build/release/kb

.PHONY: site test deps test-deps release swift-test parser-compare browser-test clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

release: deps
	$(SWIFT) build -c release --product kb

site: release
	$(KB_RELEASE) build

# Every test: Swift Testing suites (unit, conformance, end to end), the parser against
# BuildKit's own (PyPI dockerfile), then the site in a real browser.
test: test-deps swift-test parser-compare browser-test

swift-test:
	$(SWIFT) build --build-tests
	$(SWIFT) test

parser-compare:
	$(PYTHON) scripts/compare-with-buildkit.py --kb .build/debug/kb

browser-test:
	$(PYTHON) -m pytest -q Tests/browser
	$(PYTHON) -m pytest -q Tests/python

clean:
	rm -rf .build Site artifacts
