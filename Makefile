# Quotewire: the two commands that matter are `make demo` and `make test`.
.PHONY: setup build test check demo down bench-kafka bench-pipeline soak clean eval test-containers

setup:
	scripts/setup.sh

build: setup
	swift build

# Every stage (scripts/test.sh lists them), or those in STAGES ("swift-test release-smoke");
# TEST_ARGS go to `swift test` ("--filter EndToEndTests").
test:
	scripts/test.sh $(STAGES) -- $(TEST_ARGS)

# The change-sized loop: the incremental debug build and every test that needs no broker.
check:
	scripts/test.sh build check -- $(TEST_ARGS)

clean:
	rm -rf .build .build-* data logs run

demo:
	scripts/demo.sh

down:
	scripts/services.sh stop
	scripts/broker.sh stop $${QUOTEWIRE_BROKER_PORT:-9092}

bench-kafka:
	scripts/bench-kafka.sh

bench-pipeline:
	scripts/bench-pipeline.sh

soak:
	scripts/soak.sh

# Speaker accuracy: PolNeAR dev/train and the Wikinews dev set in one table; html-dev body text beside trafilatura (needs ../shared).
eval:
	scripts/eval.sh

# The image built from a clean clone and the compose file started, with podman (root; about
# 12 GB of disk). Not part of `make test`: it takes longer than the ten minutes a stage may.
test-containers:
	scripts/containers/run.sh
