"""Build the trimmed O*NET® data the bot ships, from the O*NET 30.2 text files.

    .venv/bin/python scripts/build_onet_subset.py                 # /work/shared/data/onet
    .venv/bin/python scripts/build_onet_subset.py path/to/onet    # another copy

Writes two gzip files into `bot/data/onet/` (read by `bot/occupations.py`), and the
`ATTRIBUTION.md` that O*NET's CC BY 4.0 licence asks for:

- `occupations.json.gz`: each occupation's title, description, job zone, up to 8 task
  statements (core first), up to 15 technologies (in demand first, then hot), and its
  relevant skill and knowledge ratings, or the code of the related occupation whose
  ratings it borrows; the skill and knowledge elements with their descriptions and level
  anchors. Ratings are one string per occupation, "element:IM:LV" items separated by
  spaces ("2.A.1.a:4.00:4.25 2.A.1.b:3.88:4.00"): as JSON lists they would cost the bot
  about 9 MB of memory, as strings under 1 MB.
- `titles.tsv.gz`: the job titles people type (alternate, short and reported titles) with
  the occupation they belong to and how many O*NET sources list them.

The output is byte-for-byte deterministic: rows are sorted, JSON keys keep a fixed order
and the gzip header carries no timestamp or file name.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SOURCE = Path("/work/shared/data/onet")
OUTPUT_DIR = Path(__file__).resolve().parent.parent / "bot" / "data" / "onet"
FORMAT_VERSION = 1
MAX_TASKS = 8
MAX_TECHNOLOGIES = 15
# Related Occupations lists the closest occupations first: tier, then index within it.
TIER_ORDER = {"Primary-Short": 0, "Primary-Long": 1, "Supplemental": 2}
TASK_TYPE_ORDER = {"Core": 0, "Supplemental": 1}  # unrated tasks ("n/a") come last
NO_VALUE = "n/a"

Row = dict[str, str]

ATTRIBUTION = """\
# O*NET® data: attribution

This product includes information from the O*NET 30.2 Database by the U.S. Department of
Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0
license. O*NET® is a trademark of USDOL/ETA. Career Change Coach has modified all or some
of this information. USDOL/ETA has not approved, endorsed, or tested these modifications.

Licence: Creative Commons Attribution 4.0 International,
<https://www.onetcenter.org/license_db.html>.

## What was derived, and how

`occupations.json.gz` and `titles.tsv.gz` were derived from the O*NET 30.2 Database
(February 2026 Release) text files Occupation Data, Alternate Titles, Sample of Reported
Titles, Skills, Knowledge, Technology Skills, Task Statements, Content Model Reference,
Level Scale Anchors, Job Zones and Related Occupations, by `scripts/build_onet_subset.py`:

- `occupations.json.gz`: per occupation, the title, description and job zone; up to 8 task
  statements (core tasks first); up to 15 technology skill examples (in-demand first, then
  hot technologies); the Importance (IM) and Level (LV) ratings of its skills and knowledge,
  leaving out elements rated "Not Relevant" or marked "Recommend Suppress". Occupations
  without skill or knowledge ratings name the closest related occupation (Related
  Occupations, by relatedness tier and index) that has them, whose ratings the bot shows
  as borrowed. Also the skill and knowledge element names, descriptions and level anchors.
- `titles.tsv.gz`: the alternate titles, their short titles and the reported job titles,
  each with its occupation and the number of O*NET sources listing it.

Values were selected and reformatted, not edited.
"""


def read_table(source: Path, name: str) -> Iterator[Row]:
    """Rows of one O*NET TSV file: tab-separated, one header row, no quoting."""
    with (source / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


@dataclass
class Occupation:
    code: str
    title: str
    description: str
    job_zone: int | None = None
    tasks: list[tuple[int, str]] = field(default_factory=list)  # (type rank, statement)
    technologies: list[tuple[str, bool, bool]] = field(default_factory=list)
    ratings: list[tuple[str, float, float]] = field(default_factory=list)  # (element, IM, LV)
    rated: bool = False
    ratings_from: str | None = None


def read_occupations(source: Path) -> dict[str, Occupation]:
    occupations = {
        row["O*NET-SOC Code"]: Occupation(row["O*NET-SOC Code"], row["Title"], row["Description"])
        for row in read_table(source, "occupation_data.tsv")
    }
    for row in read_table(source, "job_zones.tsv"):
        occupations[row["O*NET-SOC Code"]].job_zone = int(row["Job Zone"])
    return occupations


def add_tasks(source: Path, occupations: dict[str, Occupation]) -> None:
    """Core tasks first, then supplemental, then unrated; O*NET's own order within each."""
    for row in read_table(source, "task_statements.tsv"):
        rank = TASK_TYPE_ORDER.get(row["Task Type"], len(TASK_TYPE_ORDER))
        occupations[row["O*NET-SOC Code"]].tasks.append((rank, row["Task"]))
    for occupation in occupations.values():
        # sorted() is stable, so the file order survives within a task type.
        occupation.tasks = sorted(occupation.tasks, key=lambda task: task[0])[:MAX_TASKS]


def add_technologies(source: Path, occupations: dict[str, Occupation]) -> None:
    """In demand first, then hot, then the rest; alphabetical (the file's order) within."""
    for row in read_table(source, "technology_skills.tsv"):
        occupations[row["O*NET-SOC Code"]].technologies.append(
            (row["Example"], row["Hot Technology"] == "Y", row["In Demand"] == "Y")
        )
    for occupation in occupations.values():
        ranked = sorted(occupation.technologies, key=lambda tech: (not tech[2], not tech[1]))
        occupation.technologies = ranked[:MAX_TECHNOLOGIES]


@dataclass
class Rating:
    importance: float | None = None
    level: float | None = None
    dropped: bool = False  # suppressed (low precision) or rated not relevant


def add_ratings(source: Path, occupations: dict[str, Occupation]) -> list[str]:
    """Keep the relevant, unsuppressed elements; returns the element ids in file order."""
    element_ids: list[str] = []
    for table in ("skills.tsv", "knowledge.tsv"):
        grid: dict[tuple[str, str], Rating] = defaultdict(Rating)
        for row in read_table(source, table):
            code, element_id = row["O*NET-SOC Code"], row["Element ID"]
            occupations[code].rated = True
            if element_id not in element_ids:
                element_ids.append(element_id)
            rating = grid[code, element_id]
            value = float(row["Data Value"])
            if row["Scale ID"] == "IM":
                rating.importance = value
            else:
                rating.level = value
            if row["Recommend Suppress"] == "Y" or row["Not Relevant"] == "Y":
                rating.dropped = True
        for (code, element_id), rating in grid.items():
            if rating.dropped or rating.importance is None or rating.level is None:
                continue
            occupations[code].ratings.append((element_id, rating.importance, rating.level))
    return element_ids


def add_borrowed_ratings(source: Path, occupations: dict[str, Occupation]) -> None:
    """An unrated occupation borrows from its closest related occupation that is rated."""
    related: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for row in read_table(source, "related_occupations.tsv"):
        rank = (TIER_ORDER[row["Relatedness Tier"]], int(row["Index"]))
        related[row["O*NET-SOC Code"]].append((*rank, row["Related O*NET-SOC Code"]))
    for code, occupation in occupations.items():
        if occupation.rated:
            continue
        for *_, other in sorted(related.get(code, [])):
            if occupations[other].rated:
                occupation.ratings_from = other
                break


def read_elements(source: Path, element_ids: list[str]) -> dict[str, Any]:
    names: dict[str, tuple[str, str]] = {
        row["Element ID"]: (row["Element Name"], row["Description"])
        for row in read_table(source, "content_model_reference.tsv")
    }
    anchors: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for row in read_table(source, "level_scale_anchors.tsv"):
        if row["Scale ID"] == "LV":
            anchors[row["Element ID"]].append(
                (number(row["Anchor Value"]), row["Anchor Description"])
            )
    return {
        element_id: {
            "name": names[element_id][0],
            "description": names[element_id][1],
            "anchors": sorted(anchors.get(element_id, [])),
        }
        for element_id in element_ids
    }


def number(text: str) -> float:
    """Anchor values are whole numbers in this release; keep them as ints in the JSON."""
    value = float(text)
    return int(value) if value.is_integer() else value


def read_titles(source: Path) -> list[tuple[str, str, int]]:
    """(code, title, number of sources): alternate, short and reported titles merged.

    An alternate title and its short form count the alternate title's sources; a
    reported title counts as one more source.
    """
    sources: dict[tuple[str, str], int] = defaultdict(int)
    for row in read_table(source, "alternate_titles.tsv"):
        code, count = row["O*NET-SOC Code"], len(row["Source(s)"].split(","))
        for title in (row["Alternate Title"], row["Short Title"]):
            if title != NO_VALUE:
                sources[code, title] = max(sources[code, title], count)
    for row in read_table(source, "sample_of_reported_titles.tsv"):
        sources[row["O*NET-SOC Code"], row["Reported Job Title"]] += 1
    return sorted((code, title, count) for (code, title), count in sources.items())


def occupation_record(occupation: Occupation) -> dict[str, Any]:
    return {
        "title": occupation.title,
        "description": occupation.description,
        "job_zone": occupation.job_zone,
        "tasks": [statement for _, statement in occupation.tasks],
        "technologies": [
            [name, hot, in_demand] for name, hot, in_demand in occupation.technologies
        ],
        "ratings": " ".join(
            f"{element_id}:{im:.2f}:{lv:.2f}" for element_id, im, lv in occupation.ratings
        ),
        "ratings_from": occupation.ratings_from,
    }


def gzip_bytes(payload: bytes) -> bytes:
    """gzip with an empty file name and mtime 0, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    return buffer.getvalue()


def build(source: Path, output: Path) -> dict[str, int]:
    occupations = read_occupations(source)
    add_tasks(source, occupations)
    add_technologies(source, occupations)
    element_ids = add_ratings(source, occupations)
    add_borrowed_ratings(source, occupations)
    document = {
        "format": FORMAT_VERSION,
        "release": "O*NET 30.2 Database, February 2026 Release",
        "elements": read_elements(source, element_ids),
        "occupations": {code: occupation_record(occupations[code]) for code in sorted(occupations)},
    }
    titles = "".join(f"{code}\t{title}\t{count}\n" for code, title, count in read_titles(source))
    files = {
        "occupations.json.gz": json.dumps(document, ensure_ascii=False, separators=(",", ":")),
        "titles.tsv.gz": "code\ttitle\tsources\n" + titles,
    }
    output.mkdir(parents=True, exist_ok=True)
    (output / "ATTRIBUTION.md").write_text(ATTRIBUTION, encoding="utf-8")
    sizes = {}
    for name, text in files.items():
        data = gzip_bytes(text.encode("utf-8"))
        (output / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT_DIR)
    args = parser.parse_args(argv)
    sizes = build(args.source, args.output)
    for name, size in sizes.items():
        print(f"{args.output / name}: {size:,} bytes")
    print(f"total: {sum(sizes.values()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
