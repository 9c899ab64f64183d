"""Application-parser benchmark: field accuracy over the labelled corpus, and parse time.

    .venv/bin/python bench/parse_applications.py              # 20 warm rounds
    .venv/bin/python bench/parse_applications.py --rounds 50 --show-misses

Measures, in this process:

1. The first call (it imports dateparser and builds its parser), the first call on a new
   local day (one more parser, cached per day and direction), then parse time over the
   whole corpus, warm (one untimed pass first), p50 / p99 / max. Target: p99 <= 5 ms.
2. Accuracy per field over the messages about an application: company, role, status,
   event_date and round, compared case-insensitively after trimming, a missing answer
   counting as all fields None. Target >= 95 % on each.
3. is_application: None exactly for the messages that are not about an application.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.application_parser import ParsedApplication, parse_application

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "application_messages.jsonl"
FIELDS = ("company", "role", "status", "event_date", "round")
TARGET_ACCURACY = 0.95
TARGET_P99_MS = 5.0


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    now: datetime
    expected: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Scores:
    positives: int
    negatives: int
    correct: dict[str, int]  # per field, over positives; "is_application" over all lines
    misses: list[tuple[str, str, Any, Any]]  # (text, field, expected, got)

    def accuracy(self, name: str) -> float:
        total = self.positives + self.negatives if name == "is_application" else self.positives
        return self.correct[name] / total if total else 1.0


def load_corpus(path: Path = CORPUS) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            examples.append(
                Example(item["text"], datetime.fromisoformat(item["now"]), item["expected"])
            )
    return examples


def field_value(parsed: ParsedApplication | None, name: str) -> Any:
    if parsed is None:
        return None
    value = getattr(parsed, name)
    return value.isoformat() if hasattr(value, "isoformat") else value


def same(expected: Any, got: Any) -> bool:
    def norm(value: Any) -> Any:
        return value.strip().casefold() if isinstance(value, str) else value

    return bool(norm(expected) == norm(got))


def score(examples: list[Example]) -> Scores:
    correct = dict.fromkeys((*FIELDS, "is_application"), 0)
    misses: list[tuple[str, str, Any, Any]] = []
    positives = negatives = 0
    for example in examples:
        parsed = parse_application(example.text, now=example.now)
        is_application = example.expected is not None
        if (parsed is not None) == is_application:
            correct["is_application"] += 1
        else:
            misses.append((example.text, "is_application", is_application, parsed is not None))
        if example.expected is None:
            negatives += 1
            continue
        positives += 1
        for name in FIELDS:
            got = field_value(parsed, name)
            if same(example.expected.get(name), got):
                correct[name] += 1
            else:
                misses.append((example.text, name, example.expected.get(name), got))
    return Scores(positives, negatives, correct, misses)


def time_calls(examples: list[Example], rounds: int) -> list[float]:
    for example in examples:  # warm: every day's parser built, regexes compiled
        parse_application(example.text, now=example.now)
    timings = []
    for _ in range(rounds):
        for example in examples:
            started = time.perf_counter()
            parse_application(example.text, now=example.now)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    examples = load_corpus()
    started = time.perf_counter()
    parse_application(examples[0].text, now=examples[0].now)
    print(
        f"first call (imports dateparser, builds its parser): {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    new_day = datetime(2031, 6, 5, 9, 0)
    started = time.perf_counter()
    parse_application("applied to Stripe yesterday", now=new_day)
    print(
        f"first call on a new local day (one more parser): {(time.perf_counter() - started) * 1000:.1f} ms"
    )

    scores = score(examples)
    timings = time_calls(examples, args.rounds)
    p50, p99 = statistics.median(timings), percentile(timings, 0.99)
    speed_ok = p99 <= TARGET_P99_MS
    print(
        f"parse over {len(timings)} calls ({len(examples)} messages x {args.rounds}, warm): "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(timings):.2f} ms "
        f"(target p99 <= {TARGET_P99_MS:.0f} ms: {'met' if speed_ok else 'MISSED'})"
    )
    print(f"corpus: {scores.positives} application messages, {scores.negatives} others")
    accuracy_ok = True
    for name in (*FIELDS, "is_application"):
        accuracy = scores.accuracy(name)
        accuracy_ok &= accuracy >= TARGET_ACCURACY
        print(f"  {name:15} {accuracy:7.1%}  ({scores.correct[name]} right)")
    print(f"target >= {TARGET_ACCURACY:.0%} on every field: {'met' if accuracy_ok else 'MISSED'}")
    if args.show_misses:
        for text, name, expected, got in scores.misses:
            print(f"  MISS {name:14} expected {expected!r:28} got {got!r:28} <- {text}")
    return 0 if accuracy_ok and speed_ok else 1


if __name__ == "__main__":
    sys.exit(main())
