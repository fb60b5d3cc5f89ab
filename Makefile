# agentty: `make demo` builds and opens the demo; `make test` runs every check.
GO      ?= go
TAGS    := nolibopusfile
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
PKGS    := ./...

export CGO_ENABLED := 1

.PHONY: all build demo test vet fmt-check unit bench fuzz deps pulse clean

all: build

## build: the agentty binary in bin/
build:
	$(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o bin/agentty .

## demo: build, then open the demo (embedded centre, simulated callers, console)
demo: deps build
	./bin/agentty demo $(ARGS)

## test: vet, gofmt, and the whole suite with the race detector
test: deps vet fmt-check pulse unit

vet:
	$(GO) vet -tags $(TAGS) $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The centre's media tests measure sound in real time: they run on their own,
# after the rest, so that Chromium, baresip and the other packages' tests do
# not take their cores (they are the ones that fail on a loaded machine).
MEDIA := ./vendors/local/media
unit:
	$(GO) test -race -tags $(TAGS) -timeout 15m $$($(GO) list -tags $(TAGS) $(PKGS) | grep -v '/vendors/local/media$$')
	$(GO) test -race -tags $(TAGS) -timeout 10m $(MEDIA)

## pulse: a PulseAudio daemon with null sinks for the device tests
pulse:
	@if [ -f scripts/pulse.sh ]; then bash scripts/pulse.sh; fi

## bench: the testing.B benchmarks (figures, never gates)
bench: deps
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem $(PKGS)

## fuzz: every fuzz target for FUZZTIME each (minimizing bounded), execs reported
FUZZTIME ?= 30s
fuzz:
	FUZZTIME=$(FUZZTIME) GO=$(GO) TAGS=$(TAGS) bash scripts/fuzz.sh

## deps: install the Debian packages the build and tests need (idempotent)
deps:
	@bash scripts/deps.sh
	@sh scripts/bridge-js.sh

clean:
	rm -rf bin
