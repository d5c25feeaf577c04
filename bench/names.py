"""How well an organization's name tells its category (weakorg.names.category_from_name), on labelled names.

    .venv/bin/python bench/names.py [labelled.toml ...] [--misses]

Each file holds ``[[name]]`` entries (text, category). Prints, per file and per category, how many
names are read as labelled, left undecided (None: the register's own category cell or the unit's
附件1 tables decide) and read as another category (wrong). A firm's name (…公司) is read once
with nothing allowed (undecided unless the name itself says state-owned or not) and once with the
unit's 附件1 holding only the labelled category, as a unit's own tables would.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from weakorg.names import category_from_name
from weakorg.vocab import CATEGORIES

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
DEFAULT = [FIXTURES / "names_labelled_a.toml", FIXTURES / "names_labelled_b.toml"]


def load(path: str | Path) -> list[dict]:
    """The labelled names of a file."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))["name"]


def score(names: list[dict], with_tables: bool = False) -> tuple[Counter, list[tuple[str, str, str | None]]]:
    """Counts of exact, undecided and wrong readings (overall and per category) and the misses."""
    counts: Counter = Counter()
    misses = []
    for entry in names:
        allowed = [entry["category"]] if with_tables else None
        got = category_from_name(entry["text"], allowed)
        outcome = "exact" if got == entry["category"] else "undecided" if got is None else "wrong"
        counts[outcome] += 1
        counts[(entry["category"], outcome)] += 1
        if outcome != "exact":
            misses.append((entry["text"], entry["category"], got))
    return counts, misses


def main(argv: list[str]) -> int:
    show = "--misses" in argv
    paths = [a for a in argv if not a.startswith("--")] or DEFAULT
    for path in paths:
        names = load(path)
        alone, misses = score(names)
        tables, _ = score(names, with_tables=True)
        print(
            f"{Path(path).name}: {len(names)} names; from the name alone {alone['exact']} exact, "
            f"{alone['undecided']} undecided, {alone['wrong']} wrong; "
            f"with the unit's 附件1 {tables['exact']} exact, {tables['undecided']} undecided, {tables['wrong']} wrong"
        )
        for category in CATEGORIES:
            n = sum(alone[(category, o)] for o in ("exact", "undecided", "wrong"))
            print(
                f"  {category:<8} {n:>3}  exact {alone[(category, 'exact')]:>3}  "
                f"undecided {alone[(category, 'undecided')]:>3}  wrong {alone[(category, 'wrong')]:>3}"
            )
        if show:
            for text, label, got in misses:
                print(f"    {label} <- {got}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
