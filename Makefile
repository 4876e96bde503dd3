# The two commands of README.md: `make run` and `make test`. Everything builds into build/.
BUILD ?= build
JOBS ?= $(shell nproc)
PORT ?= 9700
DATA ?= durable.db
APPROVALS ?= examples/approvals/approvals.json

.PHONY: all deps configure build run test unit clean format conformance

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD)/build.ninja

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@echo "approvals inbox: http://127.0.0.1:$(PORT)/ui/ (demo tokens in $(APPROVALS): alice-token, bob-token, carol-token, admin-token)"
	$(BUILD)/durable serve --port $(PORT) --db $(DATA) $(if $(TEMPLATE),--template $(TEMPLATE)) $(if $(APPROVALS),--approvals-config $(APPROVALS))

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

test: build
	scripts/test.sh

# The AWS conformance requirements against durable serve + the C++ handlers (conformance/run.sh).
conformance: build
	BUILD=$(BUILD) conformance/run.sh

# The same requirements against durable serve + our JS handlers written with the official AWS
# JS durable SDK, hosted as nodejs20.x functions (interop/js/run.sh).
.PHONY: interop
interop: build
	cd interop/js && npm ci --no-audit --no-fund --loglevel=error
	BUILD=$(BUILD) interop/js/run.sh

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD)

# Benchmarks B1–B6 in both hosting modes, micro-benchmarks and the peer engines; one table,
# bench/results/<date>.json and .png (bench/run.sh, docs/performance.md).
.PHONY: bench
bench: deps configure
	BUILD=$(BUILD) bench/run.sh
