#!/usr/bin/env bash
# Peak memory (and time) of `safeval dataset validate` and `dataset stats` on a generated
# dataset of about 2 GB (6,500,000 prompts): both stream, so their peak RSS must not grow with
# the file. Wall time, CPU time and peak RSS come from GNU time; prints a Markdown table.
#
#   make build && bench/dataset/run.sh [COUNT]
#
# SAFEVAL=path picks another binary (default build/safeval); TAXONOMY=spec another taxonomy
# (default builtin:ailuminate-v1, whose leaves the generator uses). DEDUP=1 also measures
# `dataset dedup`, which holds every prompt (about 800 MB per million) and so is only
# sensible with COUNT up to a few million. The data goes to a temporary folder under
# ${TMPDIR:-/tmp} that is deleted at the end (KEEP=1 keeps it); nothing is written in the repo.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-6500000}
safeval=${SAFEVAL:-$repo/build/safeval}
taxonomy=${TAXONOMY:-builtin:ailuminate-v1}

if [ ! -x "$safeval" ]; then
  echo "run.sh: $safeval not found; run 'make build' first" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  else
    echo "run.sh: needs GNU time (apt-get install time)" >&2
    exit 2
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/safeval-bench-dataset.XXXXXX")
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then echo "run.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

g++ -O2 -std=c++20 -o "$work/gen_prompts" "$repo/bench/dataset/gen_prompts.cc"
"$work/gen_prompts" "$count" 1 >"$work/prompts.jsonl"
data="$work/prompts.jsonl"

# measure NAME COMMAND...: runs COMMAND under /usr/bin/time -v; exit codes 0 and 1 (a check
# found gaps or duplicates) are expected, anything else stops the benchmark.
measure() {
  local name=$1
  shift
  local rc=0
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "run.sh: '$*' exited $rc:" >&2
    tail -20 "$work/$name.err" >&2
    exit 1
  fi
  local wall rss user sys
  wall=$(sed -n 's/^.*Elapsed (wall clock) time.*: //p' "$work/$name.time")
  rss=$(sed -n 's/^.*Maximum resident set size (kbytes): //p' "$work/$name.time")
  user=$(sed -n 's/^.*User time (seconds): //p' "$work/$name.time")
  sys=$(sed -n 's/^.*System time (seconds): //p' "$work/$name.time")
  printf '| `%s` | %s | %s | %s | %d |\n' "$name" "$rc" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}')" "$((rss / 1024))"
}

echo "## safeval dataset benchmark"
echo
echo "- prompts: $count ($(du -m "$data" | cut -f1) MiB of JSONL, bench/dataset/gen_prompts.cc seed 1)"
echo "- binary: $("$safeval" --version)"
echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo
echo "| command | exit | wall (h:mm:ss or m:ss) | CPU s (user+sys) | peak RSS (MB) |"
echo "|---|---|---|---|---|"
measure "dataset validate" "$safeval" dataset validate "$data" --taxonomy "$taxonomy"
measure "dataset stats" "$safeval" dataset stats "$data" --taxonomy "$taxonomy"
if [ "${DEDUP:-0}" = 1 ]; then
  measure "dataset dedup" "$safeval" dataset dedup "$data" --taxonomy "$taxonomy"
fi
echo
sed "s/^/validate: /" "$work/dataset validate.out" | tail -1
if [ "${DEDUP:-0}" = 1 ]; then
  grep -E "^[0-9]+ prompts:|^note:" "$work/dataset dedup.out" | sed "s/^/dedup: /"
fi
