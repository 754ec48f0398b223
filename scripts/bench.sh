#!/usr/bin/env bash
# Whole-process benchmark of `dyad code`, raw text (JSONL) in, events (JSONL) out,
# with hyperfine, on the benchmark corpus (crates/dyad/benches/corpus.rs: about
# 200,000 sentences built from ../shared; nothing of it is kept in the project).
#
# Times, each a whole process, lexicon load included (the first four in rounds of
# one run each, so that their means are taken in the same minutes):
#   builtin   dyad code --jobs 1, the built-in lexicons
#   phoenix   dyad code --jobs 1 --dict-only with the Phoenix dictionaries
#             (dyad::dict::PHOENIX, from ../shared/reference/petrarch-dictionaries)
#   jobs 2    dyad code --jobs 2, the built-in lexicons (scaling on 2 cores)
#   floor     the tokenise example: reading the same JSONL and splitting it into
#             tokens and sentences, nothing else
#   load      dyad code on a one-line input (the lexicon load, all but alone)
# and prints sentences/s per core, the scaling factor, the share of the floor's
# speed (both also timed in alternation, scripts/alternate.py), the load times and
# the peak memory (/usr/bin/time -v) of the builtin, phoenix and jobs 2 runs.
#
# Usage: scripts/bench.sh            (BENCH_RUNS=N for N rounds, N timed runs each, 5;
#                                     BENCH_PAIRS=N for N pairs in alternation, 16)
# Without ../shared there is no corpus: the script says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED=../shared
DICTS=$SHARED/reference/petrarch-dictionaries
RUNS=${BENCH_RUNS:-5}
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench: BENCH_RUNS must be a whole number of rounds, 1 or more (got '$RUNS')" >&2
    exit 2
fi

if [ ! -d "$SHARED" ]; then
    echo "bench: skipped: $SHARED is not present, so there is no corpus to time"
    exit 0
fi

if ! command -v hyperfine >/dev/null; then
    echo "bench: hyperfine is missing; installing it (apt-get install -y hyperfine)"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y hyperfine >/dev/null || { apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null; } || true
    fi
    if ! command -v hyperfine >/dev/null; then
        echo "bench: cannot install hyperfine here: run 'sudo apt-get install hyperfine' (Debian/Ubuntu) or 'cargo install hyperfine', then again" >&2
        exit 1
    fi
fi
for tool in python3 /usr/bin/time; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench: needs $tool ('apt-get install python3 time' on Debian/Ubuntu)" >&2
        exit 1
    fi
done

# The Phoenix list, read from its one definition (dyad::dict::PHOENIX).
mapfile -t PHOENIX < <(sed -n '/pub const PHOENIX/,/];/p' crates/dyad/src/dict.rs | grep -o '"[^"]*"' | tr -d '"')
if [ "${#PHOENIX[@]}" -eq 0 ]; then
    echo "bench: cannot find the PHOENIX list in crates/dyad/src/dict.rs" >&2
    exit 1
fi
PHX_ARGS="--dict-only"
for f in "${PHOENIX[@]}"; do
    if [ ! -f "$DICTS/$f" ]; then
        echo "bench: skipped: $DICTS/$f is not present"
        exit 0
    fi
    PHX_ARGS="$PHX_ARGS --dict $DICTS/$f"
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The release-lto profile (Cargo.toml): the binary a production run would use.
# The floor is built the same way, so both are measured on equal terms.
echo "bench: building (profile release-lto; the first build takes some minutes)"
cargo build --profile release-lto --quiet -p dyad-cli
cargo build --profile release-lto --quiet -p dyad --example tokenise
cargo build --release --quiet -p dyad --example corpus
DYAD=target/release-lto/dyad
TOKENISE=target/release-lto/examples/tokenise

CORPUS=$TMP/corpus.jsonl
SUMMARY=$(cargo run --release --quiet -p dyad --example corpus -- "$CORPUS")
echo "bench: corpus: $SUMMARY"
# "N documents, S sentences -> PATH"
SENTENCES=$(sed -n 's/.* \([0-9][0-9]*\) sentences.*/\1/p' <<<"$SUMMARY")
if [ -z "$SENTENCES" ]; then
    echo "bench: cannot read the number of sentences from: $SUMMARY" >&2
    exit 1
fi
ONE=$TMP/one.jsonl
head -n 1 "$CORPUS" >"$ONE"
CORES=$(nproc 2>/dev/null || echo 1)
if [ "$CORES" -lt 2 ]; then
    echo "bench: note: this machine has $CORES core(s), so --jobs 2 cannot scale here"
fi
# Other work skews every figure, and the scaling most: where the kernel shares the
# CPU between sessions (autogroup), --jobs 2 gets no more of it than --jobs 1.
LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
if awk -v l="$LOAD" 'BEGIN { exit !(l >= 0.5) }'; then
    echo "bench: note: the machine is busy (load average $LOAD): the times will be high and the scaling low"
fi

# Each command is run without a shell (-N); hyperfine discards its output. The
# runs go in rounds, one run of each command a round, the order turned by one
# every round: hyperfine's own --runs N would time each command N times in a row,
# minutes away from the next command's runs, and on a machine whose speed drifts
# the commands' means would then compare different moments.
NAMES=(builtin phoenix jobs2 floor)
COMMANDS=("$DYAD code --jobs 1 $CORPUS" "$DYAD code --jobs 1 $PHX_ARGS $CORPUS" "$DYAD code --jobs 2 $CORPUS" "$TOKENISE $CORPUS")
for ((round = 0; round < RUNS; round++)); do
    echo "bench: round $((round + 1)) of $RUNS (one run of each command)"
    ARGS=()
    for ((k = 0; k < ${#NAMES[@]}; k++)); do
        i=$(((k + round) % ${#NAMES[@]}))
        ARGS+=(-n "${NAMES[i]}" "${COMMANDS[i]}")
    done
    WARMUP=0
    if [ "$round" -eq 0 ]; then WARMUP=1; fi
    hyperfine -N --style none --warmup "$WARMUP" --runs 1 --export-json "$TMP/runs.$round.json" "${ARGS[@]}"
done
hyperfine -N --warmup 2 --runs $((RUNS * 2)) --export-json "$TMP/load.json" \
    -n load-builtin "$DYAD code --jobs 1 $ONE" \
    -n load-phoenix "$DYAD code --jobs 1 $PHX_ARGS $ONE"

# The two ratios again, in alternation (scripts/alternate.py): the rounds above
# keep a drift over minutes out of the means, but not one within a round, which
# moves the scaling and the share of the floor; pairs run in turn, the order
# swapped every pair, and the median of their ratios, do not see it.
PAIRS=${BENCH_PAIRS:-16}
echo "bench: the scaling and the floor's share in alternation, $PAIRS pairs each"
ALT_SCALING=$(scripts/alternate.py "$DYAD code --jobs 1" "$DYAD code --jobs 2" "$PAIRS" "$CORPUS")
ALT_FLOOR=$(scripts/alternate.py "$TOKENISE" "$DYAD code --jobs 1" "$PAIRS" "$CORPUS")

# Peak memory (maximum resident set size) of a whole run.
peak_kb() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): *//p'
}
# shellcheck disable=SC2086 # PHX_ARGS is a list of words
RSS_BUILTIN=$(peak_kb $DYAD code --jobs 1 "$CORPUS")
# shellcheck disable=SC2086
RSS_PHOENIX=$(peak_kb $DYAD code --jobs 1 $PHX_ARGS "$CORPUS")
RSS_JOBS2=$(peak_kb $DYAD code --jobs 2 "$CORPUS")

python3 - "$TMP" "$TMP/load.json" "$SENTENCES" "$RSS_BUILTIN" "$RSS_PHOENIX" "$RSS_JOBS2" \
    "$PAIRS" "$ALT_SCALING" "$ALT_FLOOR" <<'EOF'
import glob, json, os, re, statistics, sys

rounds, load, sentences = sys.argv[1], sys.argv[2], int(sys.argv[3])
rss = {"builtin": sys.argv[4], "phoenix": sys.argv[5], "jobs2": sys.argv[6]}
pairs = sys.argv[7]

def alternation(report):
    """The median per-pair ratio (B's time over A's), from alternate.py."""
    m = re.search(r"median ([0-9.]+),", report)
    if not m:
        sys.exit(f"bench: cannot read the ratio from scripts/alternate.py: {report!r}")
    return float(m.group(1))

scaling = alternation(sys.argv[8])
floor = alternation(sys.argv[9])
# Every run's time, by command: those of the rounds, then the load's.
times = {}
for f in sorted(glob.glob(os.path.join(rounds, "runs.*.json"))) + [load]:
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
mean = {k: statistics.mean(v) for k, v in times.items()}
best = {k: min(v) for k, v in times.items()}
sd = {k: statistics.stdev(v) if len(v) > 1 else 0.0 for k, v in times.items()}

def mb(kb):
    return f"{int(kb) / 1024:.0f} MB" if kb.isdigit() else "?"

print()
print(f"dyad code on {sentences:,} sentences (whole process, lexicon load included; mean of the runs, and the best run")
print("for a machine shared with other work):")
for name, cores, what in [
    ("builtin", 1, "--jobs 1, built-in lexicon"),
    ("phoenix", 1, "--jobs 1, Phoenix dictionaries (--dict-only)"),
    ("jobs2", 2, "--jobs 2, built-in lexicon"),
    ("floor", 1, "tokenise only (the floor)"),
]:
    print(f"  {what:46} {mean[name]:6.2f} s ± {sd[name]:.2f} (best {best[name]:5.2f} s)  "
          f"{sentences / mean[name] / cores:9,.0f} sentences/s per core (best {sentences / best[name] / cores:,.0f})")
print(f"  scaling, --jobs 2 over --jobs 1: {mean['builtin'] / mean['jobs2']:.2f}x (best runs {best['builtin'] / best['jobs2']:.2f}x)")
print(f"  builtin at {mean['floor'] / mean['builtin']:.1%} of the floor's speed ({mean['builtin'] / mean['floor']:.1f}x its time); "
      f"phoenix at {mean['floor'] / mean['phoenix']:.1%} ({mean['phoenix'] / mean['floor']:.1f}x)")
print(f"  in alternation ({pairs} pairs each, median ratio): scaling {1 / scaling:.2f}x; builtin {floor:.1f}x the floor's time")
print(f"  lexicon load (dyad code on one document): built-in {mean['load-builtin'] * 1000:.0f} ms, "
      f"Phoenix {mean['load-phoenix'] * 1000:.0f} ms")
for name in ("builtin", "phoenix"):
    coding = mean[name] - mean[f"load-{name}"]
    print(f"  {name} without the load: {sentences / coding:,.0f} sentences/s")
print(f"  peak memory: builtin {mb(rss['builtin'])}, phoenix {mb(rss['phoenix'])}, builtin --jobs 2 {mb(rss['jobs2'])}")
EOF
