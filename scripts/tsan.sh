#!/usr/bin/env bash
# ThreadSanitizer over the concurrent code: builds the model and run test binaries with
# -fsanitize=thread into build-tsan/ and runs the tests of the executor, the curl request
# loop, the OpenAI adapter and the demo target (gtest filter below). Fails on the first
# data race or lock-order inversion. Environment: TSAN_BUILD (folder, default build-tsan),
# JOBS (build jobs, default nproc), TSAN_FILTER (gtest filter).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${TSAN_BUILD:-build-tsan}
jobs=${JOBS:-$(nproc)}
filter=${TSAN_FILTER:-'Executor*:CurlRunner*:CurlMulti*:OpenAi*:Demo*'}
binaries=(safeval_model_tests safeval_run_tests)

start=$(date +%s)
echo "== tsan: building into $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSAFEVAL_MODULE_TESTS=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null
cmake --build "$build" -j "$jobs" --target "${binaries[@]}"
echo "tsan: built in $(( $(date +%s) - start )) s"

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
# TSan's shadow memory needs the classic address layout; newer kernels randomise mmap
# more than GCC 12's runtime expects ("unexpected memory mapping"), so run without ASLR.
run=()
if command -v setarch >/dev/null && setarch "$(uname -m)" -R true 2>/dev/null; then
  run=(setarch "$(uname -m)" -R)
fi
for binary in "${binaries[@]}"; do
  echo "== tsan: $binary --gtest_filter=$filter"
  "${run[@]}" "$build/$binary" --gtest_filter="$filter" --gtest_brief=1
done
echo "tsan: done in $(( $(date +%s) - start )) s"
