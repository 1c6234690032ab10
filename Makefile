# The two commands: `make run` (the main job) and `make test` (the whole test suite).
# Both install the system packages first when they are missing (`make setup`).
SWIFT ?= swift
RELEASE := -c release
TESTING := $(RELEASE) -Xswiftc -enable-testing

.PHONY: setup build run test test-heavy bench fuzz clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build $(RELEASE)

run: build
	.build/release/fhec demo

# The crypto tests run in release mode: debug builds make the kernels too slow. The last step
# builds a package that depends on this one and runs DESIGN.md's examples in it, as a user would.
test: setup
	scripts/test-setup.sh
	$(SWIFT) build $(TESTING) --build-tests
	$(SWIFT) test $(TESTING) --skip-build
	.build/release/fhec pbs --bits 4 --trials 64 --json
	$(SWIFT) build $(RELEASE) --package-path Examples/DesignExample
	Examples/DesignExample/.build/release/DesignExample
	Examples/DesignExample/.build/release/MLDesignExample

# Opt-in tests too heavy for `make test`: a 10-bit lookup in FHE (about 12 GiB of memory), every
# wide-integer operation at 8, 12 and 16 bits in FHE.
test-heavy: setup
	$(SWIFT) build $(TESTING) --build-tests
	FHE_HEAVY_TESTS=1 $(SWIFT) test $(TESTING) --skip-build --filter "WideLookupTests|WideIntegerTests"

bench: setup
	$(SWIFT) build $(RELEASE) --product TFHEBenchmarks
	$(SWIFT) build $(RELEASE) --product CompilerBenchmarks
	$(SWIFT) build $(RELEASE) --product RuntimeBenchmarks
	$(SWIFT) build $(RELEASE) --product MLBenchmarks
	.build/release/TFHEBenchmarks
	.build/release/CompilerBenchmarks
	.build/release/RuntimeBenchmarks
	RUNTIME_CIRCUITS=tlu9_pbs .build/release/RuntimeBenchmarks
	.build/release/MLBenchmarks

# libFuzzer on every decoder of outside data (Fuzzing/), for FUZZ_SECONDS, from a corpus seeded
# with valid objects of every kind (written by the harness, not committed); findings land in
# Fuzzing/corpus and crash-* files. Opt-in: not part of make test.
FUZZ_SECONDS ?= 60
fuzz: setup
	$(SWIFT) build $(RELEASE) --package-path Fuzzing -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
	Fuzzing/.build/release/FuzzDecoders --write-seeds Fuzzing/corpus
	Fuzzing/.build/release/FuzzDecoders -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 \
		-dict=Fuzzing/decoders.dict Fuzzing/corpus

clean:
	rm -rf .build
