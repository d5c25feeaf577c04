"""Every figure of every page agrees with every other and with ``consolidate --json``, or a finding says why: for
every unit and every category of the sample returns, read from the store as the pages read it."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from figures_agree import disagreements

from weakorg import cli, counts, scoped
from weakorg.app import SAMPLE_DIR, load_samples_if_empty
from weakorg.campaign import default_campaign
from weakorg.store import Store
from weakorg.vocab import CATEGORIES


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('consistency') / 'weakorg.db'}")
    assert load_samples_if_empty(store, demo=True)
    yield store
    store.engine.dispose()


@pytest.fixture(scope="module")
def doc() -> dict:
    """``python -m weakorg consolidate --json sample_data``, read back."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["consolidate", "--json", str(SAMPLE_DIR)])
    assert code in (0, 1)  # 1: the samples carry errors on purpose
    return json.loads(out.getvalue())


FILTERS = [((), ())] + [((u,), ()) for u in default_campaign().unit_names] + [((), (c,)) for c in CATEGORIES]


@pytest.mark.parametrize(("units", "categories"), FILTERS, ids=lambda v: "、".join(v) or "all")
def test_every_figure_agrees_for_one_unit_or_one_category(stored, doc, units, categories):
    pic = scoped.picture(stored, None, units, categories)
    assert disagreements(pic, doc, units, categories) == []


def test_every_figure_agrees_for_every_unit_within_every_category_it_reported(stored, doc):
    whole = scoped.picture(stored)
    pairs = set(zip(whole.summary["unit"], whole.summary["category"], strict=True))
    pairs |= set(zip(whole.weak_orgs["unit"], whole.weak_orgs["category"], strict=True))
    assert len(pairs) > 2 * len(default_campaign().unit_names)  # most units report several categories
    problems = []
    for unit, category in sorted(p for p in pairs if p[1] in CATEGORIES):
        pic = scoped.picture(stored, None, (unit,), (category,))
        problems += disagreements(pic, doc, (unit,), (category,), with_charts=False)  # the charts: per unit above
    assert problems == []


def test_the_sample_has_units_whose_forms_disagree_and_the_pages_say_so(stored, doc):
    pic = scoped.picture(stored, None, ("新化县",), ())  # its 一览表 leaves one organization out
    head = {f.key: f for f in counts.headline(pic)}
    assert head["weak_total"].value == "52" and head["weak_total"].note == "附件1填报52个 · 一览表列出51个"
