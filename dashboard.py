"""The router: page config, first-start samples, sign-in, the shared sidebar filters, then the page chosen."""

import json

import streamlit as st

from pages import _common as common
from pages import _filters, _signin
from weakorg import app
from weakorg.store import StoreError
from weakorg.vocab import CATEGORY_LABEL, UNIT_LABEL

st.set_page_config(page_title="软弱涣散基层党组织整顿", layout="wide")

# Streamlit's English that only a style can reach, on every page. Hidden: a table's toolbar (search, download,
# fullscreen; our own 下载 Excel / 下载 CSV buttons stand beside each table), its column menu (a click on a header
# still sorts), the link icon beside each heading. Our words drawn over: the keyboard's skip link, a list's "No
# results" (a typed word no option has), a text box's "Press Enter to apply" (a text area: Ctrl+Enter, or a click
# outside it), the notice Streamlit adds under an unexpected error (our own Chinese line stands above it).
CHROME_CSS = """<style>
[data-testid="stElementToolbar"], [data-testid="stDataFrameColumnMenu"], [data-testid="stHeaderActionElements"] {
  display: none !important;
}
[data-testid="stSkipToContent"] { font-size: 0; }
[data-testid="stSkipToContent"]::after { content: "跳到正文"; font-size: 1rem; }
[role="listbox"][data-empty="true"] span { font-size: 0; }
[role="listbox"][data-empty="true"] span::after { content: "没有符合的选项"; font-size: 0.875rem; }
[data-testid="InputInstructions"] > span:first-child { font-size: 0; }
[data-testid="InputInstructions"] > span:first-child::after { content: "按回车键确认"; font-size: 0.75rem; }
[data-testid="stForm"] [data-testid="InputInstructions"] > span:first-child::after { content: "按回车键提交"; }
[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child::after { content: "点击输入框外确认"; }
[data-testid="stException"] > * { display: none !important; }
[data-testid="stException"]::after { content: "出错详情已记入服务器日志。"; }
</style>"""
st.html(CHROME_CSS)

# Streamlit's own screen-reader labels (aria-label, title) are English and no option reaches them: a script put on
# the page once rewrites them in Chinese as Streamlit draws them. Whole labels, then labels that begin with a
# fixed part (the rest, a widget's or chart's own Chinese title, kept). setAttribute sets text: nothing is parsed.
SCREEN_READER_WORDS = {
    "App pages": "页面导航",
    "Sidebar": "侧栏",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "展开侧栏",
    "Open": "展开选项",
    "Close": "关闭",
    "Clear all": "全部清除",
    "Dismiss": "关闭",
    "file upload": "上传文件",
    "Increment": "加一",
    "Decrement": "减一",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Show/hide columns": "显示或隐藏列",
    "Download as CSV": "下载 CSV",
    "Link to heading": "本标题的链接",
}
SCREEN_READER_PREFIXES = {
    "Help for ": "说明：",
    "Remove ": "移除：",
    "Download as PNG: ": "下载图片：",
    "Fullscreen: ": "全屏：",
}
SCREEN_READER_JS = (
    "<script>(() => {\n"
    "  if (window.__weakorgLabels) return;\n"
    "  window.__weakorgLabels = true;\n"
    f"  const whole = {json.dumps(SCREEN_READER_WORDS, ensure_ascii=False)};\n"
    f"  const starts = Object.entries({json.dumps(SCREEN_READER_PREFIXES, ensure_ascii=False)});\n"
    """  const fix = el => {
    for (const name of ["aria-label", "title"]) {
      const v = el.getAttribute(name);
      if (!v) continue;
      let w = Object.hasOwn(whole, v) ? whole[v] : null;
      for (const [head, zh] of starts) if (w === null && v.startsWith(head)) w = zh + v.slice(head.length);
      if (w !== null) el.setAttribute(name, w);
    }
  };
  const sweep = node => {
    if (node.nodeType !== 1) return;
    fix(node);
    node.querySelectorAll("[aria-label],[title]").forEach(fix);
  };
  sweep(document.body);
  new MutationObserver(changes => {
    for (const c of changes) c.type === "attributes" ? fix(c.target) : c.addedNodes.forEach(sweep);
  }).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "title"],
  });
})();</script>"""
)

PAGES = [
    st.Page("pages/overview.py", title="全市总览", default=True),
    st.Page("pages/units.py", title="县市区"),
    st.Page("pages/orgs.py", title="组织明细"),
    st.Page("pages/villages.py", title="换届难点村"),
    st.Page("pages/status.py", title="报送情况"),
    st.Page("pages/documents.py", title="通报与简报"),
    st.Page("pages/upload.py", title="上传与校验"),
    st.Page("pages/review.py", title="研判"),
    st.Page("pages/admin.py", title="账号与日志"),
]

try:  # a database fault (damaged, unreachable, full) anywhere below: its Chinese message, no traceback
    store = common.get_store()
    common.seed(store.url)
    _signin.gate(store, PAGES)  # once an account exists, nothing below runs before sign-in

    unit_options = common.unit_options(store.url, store.version(), common.scope())
    _filters.sync_from_url(unit_options)  # a link or a drill-down sets the filters before the widgets show them

    with st.sidebar:
        st.multiselect(
            UNIT_LABEL,
            unit_options,
            key=_filters.FILTER_UNITS,
            placeholder="全部单位",
            select_all=False,  # Streamlit's "Select all" speaks English, and one stray click takes every unit
        )
        st.multiselect(
            CATEGORY_LABEL,
            app.category_options(),
            key=_filters.FILTER_CATEGORIES,
            placeholder="全部类别",
            select_all=False,
        )
        st.html(SCREEN_READER_JS, unsafe_allow_javascript=True)  # at the sidebar's foot: it draws nothing
    _filters.write_url()

    st.navigation(_signin.permitted(PAGES)).run()  # a role's pages only (no upload page for a 督导组)
except StoreError as exc:
    common.store_fault(exc, PAGES)
except Exception as exc:  # a bug: a Chinese line, then Streamlit's notice without details (those go to the server log)
    common.unexpected_fault(exc, PAGES)
    raise
