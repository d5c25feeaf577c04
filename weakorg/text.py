"""Text from a return or a URL made safe to show: literal in Streamlit's Markdown, literal in a chart.

Streamlit renders Markdown in st.markdown, headers, captions, alerts, metric labels and values, widget
labels, help and progress text: a name written ``![x](http://host/x.png)`` would become an image fetched
from that host. ``md_text`` backslash-escapes every ASCII punctuation character (CommonMark renders each
escaped one as itself: no link, image, HTML, emphasis, LaTeX, ``:colour[...]`` or emoji short code), and
puts an invisible WORD JOINER where Streamlit would still turn bare text into a link after escaping
(``http://``, ``www.``, ``a@b.cn``: GitHub-flavoured autolinks are found in the text once escapes are read).

ECharts draws text as text (its tooltips too, in ``richText`` mode), but reads a formatter as a template, where
``{b}``, ``{c}`` or ``{a|…}`` would be replaced by a value or a style: ``chart_text`` turns braces full-width.
"""

from __future__ import annotations

import re

LINK_BREAK = "\u2060"  # WORD JOINER: zero width, not shown, breaks a bare URL or e-mail address as Markdown reads it
_ALWAYS = frozenset("\\`*_{}[]()#!|<>~$:/&")  # Markdown, HTML, LaTeX, entities, :colour[], :material/icon:
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")
_LINE_START = re.compile(r"^([ \t]*(?:\d+(?=\.))?)([-+=.])", re.MULTILINE)  # a list, a rule, an underline


def md_text(value) -> str:
    """A text shown literally inside Streamlit Markdown: its Markdown escaped, bare links broken.

    ``- + = .`` are escaped only where they begin a line (a list, a rule, a heading's underline); elsewhere a
    file name, a date or a phone number (娄星区-第1次.xlsx, 2014-03-10, 0738-8312345) is written as it is.
    """
    text = "" if value is None else str(value)
    text = _AUTOLINK.sub(LINK_BREAK, text)
    text = "".join("\\" + c if c in _ALWAYS else c for c in text)
    return _LINE_START.sub(r"\1\\\2", text)


def unbroken(text: str) -> str:
    """A text as read off the screen, less the invisible link breaks ``md_text`` put in."""
    return text.replace(LINK_BREAK, "")


def chart_text(value) -> str:
    """A text shown literally in a chart's title, label or tooltip (ECharts' template braces made full-width)."""
    text = "" if value is None else str(value)
    return text.replace("{", "｛").replace("}", "｝")
