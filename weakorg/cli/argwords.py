"""argparse's own words (usage, errors, --help's headings) in Chinese, for ``python -m weakorg``.

argparse says them through gettext (``argparse._``, ``argparse.ngettext``) and Python ships no Chinese catalogue, so the
command line's parsing runs inside ``in_chinese()``, which gives argparse these translations and puts its own back.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "须给出一个值",
    "expected at least one argument": "须至少给出一个值",
    "expected at most one argument": "至多给出一个值",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURAL_WORDS = {"expected %s argument": "须给出 %s 个值", "conflicting option string: %s": "选项冲突：%s"}


def _say(text: str) -> str:
    return WORDS.get(text, text)


def _say_plural(singular: str, plural: str, n: int) -> str:
    return PLURAL_WORDS.get(singular, singular if n == 1 else plural)


@contextmanager
def in_chinese() -> Iterator[None]:
    """argparse speaks Chinese inside the block (its usage line, errors and help headings)."""
    before = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _say, _say_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before
