# Quotewire: the two commands that matter are `make demo` and `make test`.
.PHONY: setup build test demo down bench-kafka bench-pipeline soak clean eval test-containers

setup:
	scripts/setup.sh

build: setup
	swift build

test:
	scripts/test.sh

clean:
	rm -rf .build data logs run

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
