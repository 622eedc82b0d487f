#!/usr/bin/env bash
# Four `safeval worker` processes against one `safeval run` process, on a PostgreSQL store and
# the same local OpenAI-compatible mock (../shared/bench-limit's), at the same total concurrency
# (WORKERS x CONC/WORKERS in flight vs CONC): does the store keep up with several writers?
#
#   make build && bench/distributed/run.sh [N...]        (default: 20000)
#
# For each N: `safeval run` (rules judge, 64 in flight, report written) into one fresh schema,
# then `safeval run --distributed` + 4 x `safeval worker --concurrency 16` into another, each
# timed from the run's creation to its last result. Prints a Markdown table: prompts/s of each
# and distributed / single. The store is $SAFEVAL_BENCH_POSTGRES (a libpq URL), or a throwaway
# server from scripts/pg-throwaway.sh on PGPORT (default 55439), stopped at the end.
# SAFEVAL=path picks another binary (default build/safeval); LIMIT=dir another bench-limit folder;
# WORKERS (4), CONC (64), BATCH (500, items per work batch). Nothing is written in the repo.
set -euo pipefail

source "$(dirname "$0")/../lib.sh"
workers=${WORKERS:-4}
conc=${CONC:-64}
batch=${BATCH:-500}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(20000)

bench_setup safeval-bench-distributed

server=${SAFEVAL_BENCH_POSTGRES:-}
if [ -z "$server" ]; then
  export PGPORT=${PGPORT:-55439}
  bench_at_exit 'PGPORT=$PGPORT bash "$repo/scripts/pg-throwaway.sh" stop >/dev/null 2>&1'
  server=$(bash "$repo/scripts/pg-throwaway.sh" start | tail -1)
fi
# A fresh schema per measurement: the URL's search_path points the store into it.
schema_url() {
  PGOPTIONS="-c client_min_messages=warning" psql -q "$server" -c "DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1" >/dev/null
  local sep='?'
  [[ "$server" == *\?* ]] && sep='&'
  echo "$server${sep}options=-csearch_path%3D$1"
}

# The distributed measurement: create the run, start the workers, wait for all of them.
cat >"$work/distributed.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
safeval=$1 suite=$2 url=$3 workers=$4 per_worker=$5 batch=$6
out=$("$safeval" run "$suite" --store "$url" --distributed --batch-size "$batch")
run=$(sed -n 's/^Run \([^ ]*\) created.*/\1/p' <<<"$out")
pids=()
for ((w = 0; w < workers; w++)); do
  "$safeval" worker --store "$url" --run "$run" --concurrency "$per_worker" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
SH

echo "| prompts | single process prompts/s | $workers workers prompts/s | workers / single |"
echo "|---:|---:|---:|---:|"
port=18600
for n in "${counts[@]}"; do
  bench_dataset "$n"
  rates=()
  for mode in single distributed; do
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
    concurrency: $conc
judges:
  - {name: rules, type: rules}
output_dir: $work/runs_$n
YAML
    url=$(schema_url "bench_${mode}_$n")
    if [ "$mode" = single ]; then
      cmd=("$safeval" run "$work/suite_$n.yaml" --store "$url")
    else
      cmd=(bash "$work/distributed.sh" "$safeval" "$work/suite_$n.yaml" "$url" "$workers" $((conc / workers)) "$batch")
    fi
    bash "$work/with_mock.sh" --port "$p" --tag "${mode}_$n" --outdir "$work/results" -- "${cmd[@]}" \
      >/dev/null 2>&1 || {
        echo "run.sh: the $mode run failed; see $work/results/${mode}_$n.log (KEEP=1 keeps it)" >&2
        exit 1
      }
    read -r rate _ < <(bench_rate "$work/results/${mode}_$n.time" "$n")
    rates+=("$rate")
  done
  ratio=$(python3 -c "print(f'{${rates[1]} / ${rates[0]}:.0%}')")
  echo "| $n | ${rates[0]} | ${rates[1]} | $ratio |"
  rm -rf "$work/runs_$n" "$work/data"
done
