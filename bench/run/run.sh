#!/usr/bin/env bash
# End-to-end throughput and memory of `safeval run` against a local OpenAI-compatible mock,
# beside the machine's ceiling for any harness (../shared/bench-limit), in the same run:
# only same-run ratios mean anything on a shared, noisy machine.
#
#   make build && bench/run/run.sh [N...]          (default: 20000 100000 200000)
#
# For each N: the bench-limit client (curl multi -> JSON -> phrase judge -> SQLite, one
# thread, 64 in flight) and then `safeval run` (rules judge, SQLite store, 64 in flight,
# results.json and report.html written) over the same N prompts through the same mock.
# Prints a Markdown table: prompts/s and peak RSS of each, and safeval as a fraction of
# the limit. SAFEVAL=path picks another binary (default build/safeval); LIMIT=dir another
# bench-limit folder (default ../shared/bench-limit). Nothing is written in the repo.
set -euo pipefail

source "$(dirname "$0")/../lib.sh"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(20000 100000 200000)

bench_setup safeval-bench-run
bench_require libsimdjson-dev:/usr/include/simdjson.h  # the limit client's JSON parser

echo "| prompts | limit prompts/s | limit MiB | safeval prompts/s | safeval MiB | safeval / limit |"
echo "|---:|---:|---:|---:|---:|---:|"
port=18500
for n in "${counts[@]}"; do
  bench_dataset "$n"
  limit_line=$(bash "$limit/run.sh" "$n" 1 64 $((port++)) 2>/dev/null | tail -1)
  limit_rate=$(sed -n 's/.*prompts\/s=\([0-9]*\).*/\1/p' <<<"$limit_line")
  limit_rss=$(sed -n 's/.*peak_rss_mib=\([0-9]*\).*/\1/p' <<<"$limit_line")
  p=$((port++))
  cat >"$work/suite_$n.yaml" <<YAML
schema_version: 1
name: bench
datasets: [data/safeval_$n.jsonl]
taxonomy: builtin:ailuminate-v1
targets:
  - name: mock
    type: openai
    base_url: http://127.0.0.1:$p/v1
    model: mock
    api_key_env: OPENAI_API_KEY
    concurrency: 64
judges:
  - {name: rules, type: rules}
store: $work/runs_$n/safeval.db
output_dir: $work/runs_$n
YAML
  bash "$work/with_mock.sh" --port "$p" --tag "safeval_$n" --outdir "$work/results" -- \
    "$safeval" run "$work/suite_$n.yaml" 2>/dev/null || {
      echo "run.sh: safeval run failed; see $work/results/safeval_$n.log (KEEP=1 keeps it)" >&2
      exit 1
    }
  read -r sv_rate sv_rss < <(bench_rate "$work/results/safeval_$n.time" "$n")
  ratio=$(python3 -c "print(f'{$sv_rate / $limit_rate:.0%}')")
  echo "| $n | $limit_rate | $limit_rss | $sv_rate | $sv_rss | $ratio |"
  rm -rf "$work/runs_$n" "$work/data"
done
