#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang into build-fuzz/ and runs each one for
# SECONDS (default 30) from its committed corpus (fuzz/corpus/<name>/). Fails on the first
# crash, sanitizer report, leak, timeout or out-of-memory; the input that caused it is
# saved as build-fuzz/artifacts/<name>-crash-… (replay: build-fuzz/fuzz/fuzz_<name> FILE).
# New inputs the fuzzers find go to build-fuzz/corpus/<name>/, never into the committed
# corpus. Environment: FUZZ_BUILD (folder, default build-fuzz), JOBS (build jobs, default
# nproc), FUZZ_TARGETS (space-separated names, default all).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
build=${FUZZ_BUILD:-build-fuzz}
jobs=${JOBS:-$(nproc)}

# clang and its libFuzzer runtime, from Debian 12's packages (installed when missing, as
# scripts/setup.sh installs the build's packages: as root, or through sudo).
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "fuzz: need clang and libclang-rt-14-dev (root or sudo to install)" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "fuzz: installing clang and libclang-rt-14-dev"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
fi

echo "== fuzz: building into $build"
start=$(date +%s)
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DSAFEVAL_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_all
echo "fuzz: built in $(( $(date +%s) - start )) s"

targets=${FUZZ_TARGETS:-$(ls fuzz/*_fuzzer.cc | sed 's|fuzz/||; s|_fuzzer.cc||')}
mkdir -p "$build/artifacts"
failed=()
for name in $targets; do
  binary="$build/fuzz/fuzz_$name"
  work="$build/corpus/$name"
  mkdir -p "$work"
  case $name in
    dataset_line|importers|judge_lines|verdict|model_reply) dict=(-dict=fuzz/json.dict) ;;
    suite|taxonomy|policy|guard) dict=(-dict=fuzz/yaml.dict) ;;
    *) dict=() ;;
  esac
  echo "== fuzz: $name for $seconds s"
  if ! "$binary" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=16384 -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" \
      "$work" "fuzz/corpus/$name" >"$build/$name.log" 2>&1; then
    failed+=("$name")
    echo "fuzz: $name FAILED; the end of $build/$name.log:" >&2
    tail -n 40 "$build/$name.log" >&2
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/$name.log" | tr '\n' ' '
    echo
  fi
done

echo "fuzz: done in $(( $(date +%s) - start )) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}" >&2
  exit 1
fi
