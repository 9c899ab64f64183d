"""Title-lookup benchmark: how long the O*NET® catalog takes to load, and to match a title.

    .venv/bin/python bench/title_lookup.py                 # 300 queries x 5 rounds
    .venv/bin/python bench/title_lookup.py --queries 1000 --rounds 3 --seed 7

Measures, in this process:

1. Cold load: reading and indexing the shipped files (`OccupationCatalog.load()`), with
   the growth of peak RSS it causes.
2. Lookup latency after load, p50 / p99 / max, over a fixed mix of queries: real titles
   as a user might type them (lower case, singular), the same titles with one or two
   typos, and nonsense. The target is p99 < 50 ms.
3. How often each kind of query gets an answer: real titles should, nonsense should not.
"""

from __future__ import annotations

import argparse
import gzip
import random
import resource
import statistics
import string
import sys
import time
from pathlib import Path

from bot.occupations import DATA_DIR, OccupationCatalog

TARGET_P99_MS = 50.0
NONSENSE = [
    "dragon tamer",
    "asdf",
    "xyzzy",
    "professional napper",
    "unicorn wrangler",
    "space cowboy",
    "",
    "🙂",
    "qwerty uiop",
    "lorem ipsum dolor",
    "hello there",
    "pizza eater",
    "chief vibes officer",
    "zzzz",
    "time traveller",
]


def real_titles(data_dir: Path) -> list[str]:
    """Every alternate, short and reported title the catalog ships, in file order."""
    lines = gzip.decompress((data_dir / "titles.tsv.gz").read_bytes()).decode().splitlines()
    return [line.split("\t")[1] for line in lines[1:]]


def typed(title: str) -> str:
    """How people type a title: lower case, no parenthetical, singular-ish."""
    return title.split("(")[0].strip().lower().removesuffix("s")


def with_typos(text: str, rng: random.Random, count: int) -> str:
    """One or two keyboard slips: a letter dropped, doubled, swapped or replaced."""
    letters = list(text)
    for _ in range(count):
        positions = [i for i in range(1, len(letters) - 1) if letters[i].isalpha()]
        if not positions:
            break
        i = rng.choice(positions)
        slip = rng.choice(("drop", "double", "swap", "replace"))
        if slip == "drop":
            del letters[i]
        elif slip == "double":
            letters.insert(i, letters[i])
        elif slip == "swap":
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        else:
            letters[i] = rng.choice(string.ascii_lowercase)
    return "".join(letters)


def random_letters(rng: random.Random) -> str:
    words = rng.randint(1, 3)
    return " ".join(
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) for _ in range(words)
    )


def query_mix(titles: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query): 40 % typed titles, 40 % titles with typos, 20 % nonsense."""
    rng = random.Random(seed)
    queries: list[tuple[str, str]] = []
    for _ in range(count * 2 // 5):
        queries.append(("title", typed(rng.choice(titles))))
    for _ in range(count * 2 // 5):
        long_enough = [t for t in rng.sample(titles, 50) if len(typed(t)) >= 10]
        queries.append(("typo", with_typos(typed(long_enough[0]), rng, rng.randint(1, 2))))
    while len(queries) < count:
        nonsense = rng.choice(NONSENSE) if rng.random() < 0.5 else random_letters(rng)
        queries.append(("nonsense", nonsense))
    return queries


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    catalog = OccupationCatalog()
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    catalog.load()
    load_seconds = time.perf_counter() - started
    print(f"load: {load_seconds * 1000:.0f} ms, peak RSS +{peak_rss_mb() - rss_before:.1f} MB")

    queries = query_mix(real_titles(DATA_DIR), args.queries, args.seed)
    timings: list[float] = []
    answered: dict[str, list[bool]] = {"title": [], "typo": [], "nonsense": []}
    for round_number in range(args.rounds):
        for kind, query in queries:
            started = time.perf_counter()
            matches = catalog.match(query)
            timings.append((time.perf_counter() - started) * 1000)
            if round_number == 0:
                answered[kind].append(bool(matches))

    p50, p99 = statistics.median(timings), percentile(timings, 0.99)
    print(
        f"lookup over {len(timings)} calls ({len(queries)} queries x {args.rounds}): "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(timings):.2f} ms "
        f"(target p99 < {TARGET_P99_MS:.0f} ms: {'met' if p99 < TARGET_P99_MS else 'MISSED'})"
    )
    for kind, results in answered.items():
        print(
            f"  {kind:9} answered {sum(results):4}/{len(results)} ({sum(results) / len(results):.0%})"
        )
    return 0 if p99 < TARGET_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())
