# The part the end-to-end benchmarks share (bench/run/run.sh, bench/distributed/run.sh): the
# safeval binary and ../shared/bench-limit's mock, a scratch folder, the generated dataset and
# the rate read from a /usr/bin/time report. Source it after `set -euo pipefail`:
#
#   source "$(dirname "$0")/../lib.sh"
#   bench_require PKG:FILE...  installs each Debian package PKG whose FILE is missing
#   bench_setup NAME           checks $safeval and $limit, makes $work (/tmp/NAME.XXXXXX, removed
#                              at exit unless KEEP=1) and builds the mock in it
#   bench_at_exit 'COMMAND'    runs COMMAND at exit, before $work is removed
#   bench_dataset N            $work/data/prompts_N.jsonl (bench-limit's) and the same prompts as a
#                              safeval dataset, $work/data/safeval_N.jsonl
#   bench_rate TIME_FILE N     prints "prompts/s peak_MiB" of a /usr/bin/time -v report
#
# Sets repo (this checkout), safeval (SAFEVAL, default build/safeval) and limit (LIMIT, default
# ../shared/bench-limit). Messages start with "run.sh:", as the scripts' own do.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
safeval=${SAFEVAL:-$repo/build/safeval}
limit=${LIMIT:-$repo/../shared/bench-limit}
bench_exit_hooks=()

# Installs the Debian packages named PACKAGE:FILE whose FILE is missing.
bench_require() {
  local missing=() spec
  for spec in "$@"; do
    [ -e "${spec#*:}" ] || missing+=("${spec%%:*}")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "run.sh: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

bench_at_exit() {
  bench_exit_hooks+=("$1")
}

bench_cleanup() {
  local hook
  for hook in "${bench_exit_hooks[@]}"; do eval "$hook" || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "run.sh: kept $work" >&2; else rm -rf "$work"; fi
}

bench_setup() {
  if [ ! -x "$safeval" ]; then
    echo "run.sh: $safeval not found; run 'make build' first" >&2
    exit 2
  fi
  if [ ! -d "$limit" ]; then
    echo "run.sh: no bench-limit folder at $limit (LIMIT=dir)" >&2
    exit 2
  fi
  bench_require time:/usr/bin/time  # with_mock.sh times the command with GNU time
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap bench_cleanup EXIT
  cp -r "$limit/mock" "$limit/with_mock.sh" "$limit/gen_dataset.py" "$work/"
  chmod -R u+w "$work"
  make -s -C "$work/mock" mock_openai >/dev/null
}

bench_dataset() {
  python3 "$work/gen_dataset.py" --out "$work/data" "$1" >/dev/null
  # The same prompts as a safeval dataset: benign -> safe, the rest -> harmful.
  python3 - "$work/data/prompts_$1.jsonl" "$work/data/safeval_$1.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        r = json.loads(line)
        intent = "safe" if r["category"] == "benign" else "harmful"
        o.write(json.dumps({"id": r["id"], "text": r["prompt"], "category": "ncr", "intent": intent}) + "\n")
PY
}

bench_rate() {
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
