"""全市总览's board (weakorg.charts.Board) drawn as SVG by a few lines of our own JavaScript (pages/_board.js), not by
ECharts: a new tab of the leader's first screen loads no chart library (issue 14: it settles in 1.5–1.8× the empty
page's time, against 2.1–2.3× with ECharts' 1.2 MB of code). The option is the one ECharts drew; a click on a bar
comes back as ECharts' selection event did, so weakorg.drill reads it the same way."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
SELECT = "select"  # the trigger value a click on a bar sets: {"series_index": s, "data_index": i}
_COMPONENT = st.components.v2.component(
    "weakorg_board",
    js=(HERE / "_board.js").read_text(encoding="utf-8"),
    css=(HERE / "_board.css").read_text(encoding="utf-8"),
    isolate_styles=False,  # in the page's own tree: the language test reads every text a user may see
)


def draw(option: dict, height: int, alt: str, key: str) -> dict | None:
    """Draw the board; the selection event of the click that caused this run (st.echarts_chart's shape), or None."""
    result = _COMPONENT(key=key, data={"option": option, "height": height, "alt": alt}, on_select_change=lambda: None)
    hit = getattr(result, SELECT, None)
    if not isinstance(hit, dict) or not isinstance(hit.get("series_index"), int):
        return None
    index = hit.get("data_index")
    return {"selection": {"selected": [{"series_index": hit["series_index"], "data_indices": [index]}]}}
