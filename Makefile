# The two commands of the README: `make site` and `make test`.
SWIFT ?= swift
KB_RELEASE := .build/release/kb

.PHONY: site test deps test-deps build release clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

release: deps
	$(SWIFT) build -c release --product kb

site: release
	$(KB_RELEASE) build

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

clean:
	rm -rf .build Site
