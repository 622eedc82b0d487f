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

repo=$(cd "$(dirname "$0")/../.." && pwd)
safeval=${SAFEVAL:-$repo/build/safeval}
limit=${LIMIT:-$repo/../shared/bench-limit}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(20000 100000 200000)

if [ ! -x "$safeval" ]; then
  echo "run.sh: $safeval not found; run 'make build' first" >&2
  exit 2
fi
if [ ! -d "$limit" ]; then
  echo "run.sh: no bench-limit folder at $limit (LIMIT=dir)" >&2
  exit 2
fi
# The limit client needs simdjson's headers and GNU time (Debian packages).
missing=()
[ -f /usr/include/simdjson.h ] || missing+=(libsimdjson-dev)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "run.sh: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/safeval-bench-run.XXXXXX")
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then echo "run.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

cp -r "$limit/mock" "$limit/with_mock.sh" "$limit/gen_dataset.py" "$work/"
chmod -R u+w "$work"
make -s -C "$work/mock" mock_openai >/dev/null

# Peak RSS (MiB) and prompts/s from a /usr/bin/time -v report.
rate() {
  python3 - "$1" "$2" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
wall = 0.0
for p in re.search(r"Elapsed \(wall clock\) time.*: (\S+)", t).group(1).split(":"):
    wall = wall * 60 + float(p)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
print(f"{int(sys.argv[2]) / wall:.0f} {rss:.0f}")
PY
}

echo "| prompts | limit prompts/s | limit MiB | safeval prompts/s | safeval MiB | safeval / limit |"
echo "|---:|---:|---:|---:|---:|---:|"
port=18500
for n in "${counts[@]}"; do
  python3 "$work/gen_dataset.py" --out "$work/data" "$n" >/dev/null
  # The same prompts as a safeval dataset: benign -> safe, the rest -> harmful.
  python3 - "$work/data/prompts_$n.jsonl" "$work/data/safeval_$n.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        r = json.loads(line)
        intent = "safe" if r["category"] == "benign" else "harmful"
        o.write(json.dumps({"id": r["id"], "text": r["prompt"], "category": "ncr", "intent": intent}) + "\n")
PY
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
  read -r sv_rate sv_rss < <(rate "$work/results/safeval_$n.time" "$n")
  ratio=$(python3 -c "print(f'{$sv_rate / $limit_rate:.0%}')")
  echo "| $n | $limit_rate | $limit_rss | $sv_rate | $sv_rss | $ratio |"
  rm -rf "$work/runs_$n" "$work/data"
done
