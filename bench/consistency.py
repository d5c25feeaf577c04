"""Every figure agrees at scale: the checks of tests/figures_agree.py over a bench corpus, per unit and category.

    .venv/bin/python bench/consistency.py [--scale province] [--seed 2014]

Stores the corpus (bench/corpus.py) in a fresh SQLite store as an upload does, consolidates the same
files with ``python -m weakorg consolidate --json --campaign <corpus>/campaign.toml``, then for the
whole city, every unit and every category reads the picture as the pages read it (weakorg.scoped)
and lists every figure that disagrees without a finding that says why. Prints the count of filters
checked and of disagreements (each one listed), and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):  # not bench/: its pages.py would hide the app's pages/
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from figures_agree import disagreements  # noqa: E402

from bench.corpus import CAMPAIGN_FILE, build_corpus  # noqa: E402
from bench.run import end_to_end  # noqa: E402
from weakorg import cli, scoped  # noqa: E402
from weakorg.campaign import load_campaign  # noqa: E402
from weakorg.store import Store  # noqa: E402
from weakorg.vocab import CATEGORIES  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=2014)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    corpus = build_corpus(args.scale, args.seed)
    campaign_path = corpus.directory / CAMPAIGN_FILE
    campaign = load_campaign(campaign_path)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'weakorg.db'}"
        end_to_end(corpus.files, campaign_path, url)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cli.main(["consolidate", "--json", "--campaign", str(campaign_path), str(corpus.directory)])
        doc = json.loads(out.getvalue())
        store = Store(url)
        try:
            filters = [((), ())] + [((u,), ()) for u in campaign.unit_names] + [((), (c,)) for c in CATEGORIES]
            problems: list[str] = []
            for units, categories in filters:
                pic = scoped.picture(store, None, units, categories, campaign)
                problems += disagreements(pic, doc, units, categories, with_charts=not units)
        finally:
            store.engine.dispose()
    for line in problems:
        print(line)
    print(
        f"{args.scale}: {len(corpus.files)} files, {len(campaign.unit_names)} units; {len(filters)} filters checked "
        f"in {time.perf_counter() - start:.0f} s; disagreements without a finding: {len(problems)}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
