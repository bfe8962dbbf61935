# The two commands of the README: `make site` and `make test`.
SWIFT ?= swift
PYTHON ?= python3
KB_RELEASE := .build/release/kb

.PHONY: site test deps test-deps release swift-test browser-test clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

release: deps
	$(SWIFT) build -c release --product kb

site: release
	$(KB_RELEASE) build

# Every test: Swift Testing suites (unit, conformance, end to end), then the site in a
# real browser.
test: test-deps swift-test browser-test

swift-test:
	$(SWIFT) build --build-tests
	$(SWIFT) test

browser-test:
	$(PYTHON) -m pytest -q Tests/browser

clean:
	rm -rf .build Site artifacts
