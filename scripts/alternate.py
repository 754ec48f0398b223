#!/usr/bin/env python3
"""Time two builds of dyad against each other, in alternation.

On a shared machine a figure drifts by 5% within minutes, more than most changes
win: hyperfine's runs of one command and then the other see different moments.
This runs the two binaries in turn, swapping which goes first at every pair, and
reports the median of the per-pair ratios (B's time over A's) and in how many
pairs B was the faster, which drift cannot fake.

Usage: scripts/alternate.py A B PAIRS ARGS...
  e.g. scripts/alternate.py /tmp/dyad.before target/release-lto/dyad 20 code --jobs 1 corpus.jsonl
A and B are split into words as a shell would, so that they can be one binary
run two ways (the scaling on two cores, B/A the inverse of the speed-up):
       scripts/alternate.py "dyad code --jobs 1" "dyad code --jobs 2" 12 corpus.jsonl

Each run's standard output and error are discarded; a run that fails stops the
comparison with its exit code.
"""

import shlex
import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 5 or not sys.argv[3].isdigit() or int(sys.argv[3]) < 1:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    names, pairs, args = sys.argv[1:3], int(sys.argv[3]), sys.argv[4:]
    try:
        commands = [shlex.split(name) for name in names]
    except ValueError as e:
        print(f"alternate: cannot split the commands into words: {e}", file=sys.stderr)
        return 2
    if not all(commands):
        print("alternate: A or B is empty", file=sys.stderr)
        return 2
    times = [[], []]
    for i in range(pairs):
        for k in (0, 1) if i % 2 == 0 else (1, 0):
            start = time.perf_counter()
            try:
                done = subprocess.run([*commands[k], *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError as e:
                print(f"alternate: cannot run {names[k]}: {e}", file=sys.stderr)
                return 1
            if done.returncode != 0:
                print(f"alternate: {names[k]} {' '.join(args)} exited with {done.returncode}", file=sys.stderr)
                return 1
            times[k].append(time.perf_counter() - start)
    ratios = [tb / ta for ta, tb in zip(*times)]
    print(f"A {statistics.median(times[0]):.3f} s, B {statistics.median(times[1]):.3f} s (medians of {pairs} runs each)")
    print(f"B/A per pair: median {statistics.median(ratios):.4f}, mean {statistics.mean(ratios):.4f}; "
          f"B faster in {sum(r < 1 for r in ratios)} of {pairs} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
