"""Streamlit's own chrome in Chinese: a style for what only a style can reach, a script for its screen-reader labels
and dialogs."""

import json

import streamlit as st

# Streamlit's English that only a style can reach, on every page. Hidden: a table's toolbar (search, download,
# fullscreen; our own 下载 Excel / 下载 CSV buttons stand beside each table), its column menu (a click on a header
# still sorts), the link icon beside each heading. Our words drawn over: the keyboard's skip link, a list's "No
# results" (a typed word no option has), a text box's "Press Enter to apply" (a text area: Ctrl+Enter, or a click
# outside it), the notice Streamlit adds under an unexpected error (our own Chinese line stands above it), an empty
# date box's parts (yyyy/mm/dd: 年/月/日).
CHROME_CSS = """<style>
[data-testid="stElementToolbar"], [data-testid="stDataFrameColumnMenu"], [data-testid="stHeaderActionElements"] {
  display: none !important;
}
[data-testid="stSkipToContent"] { font-size: 0; }
#weakorg-refused {
  position: fixed; left: 50%; bottom: 1rem; transform: translateX(-50%); z-index: 1000000; max-width: 90vw;
  padding: 0.6rem 1rem; border: 1px solid #e0a0a0; border-radius: 0.4rem; background: #fdecea; color: #8a1c1c;
  cursor: pointer;
}
/* drawn only: the script rewrites the link's own text, which a screen reader reads (its name said once) */
[data-testid="stSkipToContent"]::after { content: "跳到正文"; content: "跳到正文" / ""; font-size: 1rem; }
[role="listbox"][data-empty="true"] span { font-size: 0; }
[role="listbox"][data-empty="true"] span::after {
  content: "没有符合的选项"; content: "没有符合的选项" / ""; font-size: 0.875rem;
}
[data-testid="InputInstructions"] > span:first-child { font-size: 0; }
/* each hint twice: with no alt text (a screen reader reads the hint's own text, HINT_TEXTS), and plain before it
   for a browser without that syntax */
[data-testid="InputInstructions"] > span:first-child::after {
  content: "按回车键确认"; content: "按回车键确认" / ""; font-size: 0.75rem;
}
[data-testid="stForm"] [data-testid="InputInstructions"] > span:first-child::after {
  content: "按回车键提交"; content: "按回车键提交" / "";
}
[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child::after {
  content: "点击输入框外确认"; content: "点击输入框外确认" / "";
}
[data-testid="stDateInputField"] [data-placeholder="true"] { font-size: 0; }
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="year"]::after {
  content: "年" / ""; font-size: 1rem;
}
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="month"]::after {
  content: "月" / ""; font-size: 1rem;
}
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="day"]::after {
  content: "日" / ""; font-size: 1rem;
}
/* headings in order for a screen reader (the page's h1, its sections h2, a section's parts h3), drawn at the sizes
   the sections had as h3 and the card's parts had as bold text */
[data-testid="stMain"] [data-testid="stHeading"] h2 { font-size: 1.75rem; font-weight: 600; padding: 0.75rem 0 1rem; }
[data-testid="stMain"] [data-testid="stHeading"] h3 { font-size: 1rem; font-weight: 600; padding: 0.25rem 0; }
/* a heading the script gives the focus to (a card opened, a page drilled to) is no control: no focus ring on it */
[data-testid="stMain"] :is(h1, h2, h3)[tabindex="-1"]:focus { outline: none; }
/* a control the keyboard moves to is never left under the page's top bar (Streamlit's header, 3.75rem high) */
[data-testid="stMain"] :is(a[href], button, input, select, textarea, summary, [tabindex]) { scroll-margin-top: 4.5rem; }
[data-testid="stException"] > * { display: none !important; }
[data-testid="stException"]::after { content: "出错详情已记入服务器日志。"; }
</style>"""

# Streamlit's own screen-reader labels (aria-label, title) and its dialogs are English and no option reaches them:
# a script put on the page once rewrites them in Chinese as Streamlit draws them. Whole labels, then labels that
# begin with a fixed part (the rest, a widget's or chart's own Chinese title, kept). setAttribute and a text node's
# data set text: nothing is parsed.
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
    "Add files": "添加文件",
    "Increment": "加一",
    "Decrement": "减一",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Show/hide columns": "显示或隐藏列",
    "Download as CSV": "下载 CSV",
    "Link to heading": "本标题的链接",
    "Choose date": "选择日期",
    "Show password": "显示密码",  # a password box's eye button
    "Hide password": "隐藏密码",
    "Selected values": "已选项",  # a multiselect's chosen values, as a group
}
SCREEN_READER_PREFIXES = {
    "Help for ": "说明：",
    "Remove ": "移除：",
    "Download as PNG: ": "下载图片：",
    "Fullscreen: ": "全屏：",
    "year, ": "年，",  # the parts of a date box
    "month, ": "月，",
    "day, ": "日，",
}
# Whole texts of Streamlit's own dialogs (an address that names no page this user may open).
DIALOG_TEXTS = {
    "Skip to main content": "跳到正文",  # the link a keyboard or screen-reader user meets first (its text is theirs)
    "Page not found": "找不到该页面",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "您打开的地址没有对应的页面，或者您的角色无权查看该页面。已为您打开首页。"
    ),
}
# What a list box's live region says as it opens and as an option is chosen (react-aria's, in the browser's own
# language, not the page's): JavaScript patterns and their Chinese.
# A list with nothing to offer (a search that matches no option): drawn over in Chinese by the style, said so too.
EMPTY_LIST_TEXTS = {"No results": "没有符合的选项"}
# The uploader's and a date field's words, which a style draws over in Chinese (pages/upload.py, above) but a
# screen reader reads as written.
DROPZONE_TEXTS = {
    r"^Upload$": "选择文件",
    r"^(\d+(?:\.\d+)?)MB per file$": "可将文件拖到此处 · 每个文件不超过 $1MB",
    r"^ • (.+)$": " · $1",
    r"^Drag and drop files? here$": "可将文件拖到此处",
    r"^yyyy$": "年",  # a date field's empty parts (drawn as 年 月 日 by the style)
    r"^mm$": "月",
    r"^dd$": "日",
}
LIVE_TEXTS = {
    r"^(\d+) options? available\.$": "共有$1个选项。",
    r"^(.+), selected$": "$1，已选中",
}
# Whole texts of a text box's hint, for screen readers (the style draws them; its words have no alt text, "/ ''").
HINT_TEXTS = {
    "Press Enter to apply": "按回车键确认",
    "Press Enter to submit form": "按回车键提交",
    "Press Ctrl+Enter to apply": "点击输入框外确认",
    "Press ⌘+Enter to apply": "点击输入框外确认",
    "Press Ctrl+Enter to submit form": "按Ctrl+回车键提交",
    "Press ⌘+Enter to submit form": "按⌘+回车键提交",
}
SCREEN_READER_JS = (
    "<script>(() => {\n"
    "  if (window.__weakorgLabels) return;\n"
    "  window.__weakorgLabels = true;\n"
    "  document.documentElement.lang = 'zh-CN';  // Streamlit's page says en: a screen reader picks its voice by it\n"
    f"  const whole = {json.dumps(SCREEN_READER_WORDS, ensure_ascii=False)};\n"
    f"  const starts = Object.entries({json.dumps(SCREEN_READER_PREFIXES, ensure_ascii=False)});\n"
    f"  const texts = {json.dumps(DIALOG_TEXTS | HINT_TEXTS | EMPTY_LIST_TEXTS, ensure_ascii=False)};\n"
    f"  const live = Object.entries({json.dumps(LIVE_TEXTS, ensure_ascii=False)})\n"
    "    .map(([pattern, zh]) => [new RegExp(pattern), zh]);\n"
    f"  const dropped = Object.entries({json.dumps(DROPZONE_TEXTS, ensure_ascii=False)})\n"
    "    .map(([pattern, zh]) => [new RegExp(pattern), zh]);\n"
    """  const HINT = '[data-testid="InputInstructions"]';
  const LIVE = "[aria-live]";
  const rewrite = (root, rules) => {  // each text node an English pattern matches, in Chinese
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode())
      for (const [pattern, zh] of rules) if (pattern.test(t.data)) { t.data = t.data.replace(pattern, zh); break; }
  };
  const announce = root => rewrite(root, live);  // a live region's English sentence, said in Chinese
  const DROPZONE = '[data-testid="stFileUploaderDropzone"], [data-testid="stDateInputField"]';
  const EMPTY_LIST = '[role="listbox"][data-empty="true"]';
  const unEnglish = root => rewrite(root, dropped);  // the uploader's words, as a screen reader reads them
  const fix = el => {
    for (const name of ["aria-label", "title"]) {
      const v = el.getAttribute(name);
      if (!v) continue;
      const box = v === "Clear all" && el.closest('[data-testid="stMultiSelect"]');  // which list it clears
      const label = box && box.querySelector('[data-testid="stWidgetLabel"]')?.textContent.trim();
      if (label) { el.setAttribute(name, `${whole[v]}：${label}`); continue; }
      let w = Object.hasOwn(whole, v) ? whole[v] : null;
      for (const [head, zh] of starts) if (w === null && v.startsWith(head)) w = zh + v.slice(head.length);
      if (w !== null) el.setAttribute(name, w);
    }
  };
  const say = root => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const v = t.data.trim();
      if (Object.hasOwn(texts, v)) t.data = texts[v];
    }
  };
  // A download refused at the click: Streamlit says why under the button and clears it 5 seconds later, while the
  // user looks at the browser's downloads. Kept in a note of our own at the foot of the window until clicked.
  const REFUSED = '[data-testid="stDownloadButtonError"]';
  const keep = el => {
    const text = el.textContent.trim();
    if (!text) return;
    let note = document.getElementById("weakorg-refused");
    if (!note) {
      note = document.createElement("div");
      note.id = "weakorg-refused";
      note.setAttribute("role", "alert");
      note.onclick = () => note.remove();
      document.body.appendChild(note);
    }
    note.textContent = text + "（点击关闭）";
  };
  // An icon is drawn from its English name (keyboard_arrow_right): a screen reader would read the name out.
  const ICON = '[data-testid="stIconMaterial"]', SKIP = '[data-testid="stSkipToContent"]';
  const mute = el => el.setAttribute("aria-hidden", "true");
  const sweep = node => {
    if (node.nodeType !== 1) return;
    if (node.matches(REFUSED)) keep(node);
    node.querySelectorAll(REFUSED).forEach(keep);
    if (node.matches(ICON)) mute(node);
    node.querySelectorAll(ICON).forEach(mute);
    if (node.closest(LIVE)) announce(node);
    node.querySelectorAll(LIVE).forEach(announce);
    if (node.closest(EMPTY_LIST)) say(node);
    node.querySelectorAll(EMPTY_LIST).forEach(say);
    if (node.closest(DROPZONE)) unEnglish(node);
    node.querySelectorAll(DROPZONE).forEach(unEnglish);
    if (node.matches(SKIP)) say(node);
    node.querySelectorAll(SKIP).forEach(say);
    fix(node);
    node.querySelectorAll("[aria-label],[title]").forEach(fix);
    const dialog = node.closest("[role=dialog]") || node.querySelector("[role=dialog]");
    if (dialog) say(dialog);
    const hint = node.closest(HINT);
    if (hint) say(hint);
    node.querySelectorAll(HINT).forEach(say);
  };
  // A rerun that removes the focused element (a drill-down from a bar or the trail, a page of the sidebar, a button
  // that does its work and goes) drops the keyboard's focus to the page's body: the next Tab would start again at
  // 跳到正文. Where a key was the last thing used, the focus goes back to the same control if it is drawn again; else,
  // on another page (another h1), to its heading; on the same page, to the heading of the part the control was in
  // (查看完整电话 gone: the card's name, the number under it).
  const MAIN = '[data-testid="stMain"]', HEADINGS = `${MAIN} h1, ${MAIN} h2, ${MAIN} h3`;
  let keyed = false, last = null, section = [];
  const same = el => [el.tagName, el.getAttribute("aria-label") || el.textContent.trim().slice(0, 60),
    Boolean(el.closest('[data-testid="stSidebar"]'))].join("|");
  const top = el => el.getBoundingClientRect().top;
  document.addEventListener("keydown", () => { keyed = true; }, true);
  document.addEventListener("pointerdown", () => { keyed = false; }, true);
  document.addEventListener("focusin", e => {  // the control, and the heading of the part of the page it is in
    if (e.target === document.body) return;
    last = e.target;
    const inMain = Boolean(e.target.closest(MAIN));
    const above = inMain ? [...document.querySelectorAll(HEADINGS)].filter(h => top(h) <= top(e.target)) : [];
    section = [document.querySelector(`${MAIN} h1`), above.at(-1)].map(h => h?.textContent);
  }, true);
  const headingOf = () => {  // that heading, on the same page (its h1), else the page's heading
    const [page, part] = section, h1 = document.querySelector(`${MAIN} h1`);
    if (!h1 || h1.textContent !== page) return h1;
    return [...document.querySelectorAll(HEADINGS)].find(h => h.textContent === part) || h1;
  };
  // What a filter or a search changed, said where a key was the last thing used: the count line of the list shown
  // (共 51 个…), and the parts of the page marked to be said (a container keyed weakorg_say_…: the role a demo tries),
  // which a screen reader would not otherwise hear, read out once each time they change (not as the page first shows).
  const COUNT = `${MAIN} [data-testid="stCaptionContainer"]`, SAY = '[class*="st-key-weakorg_say"]';
  const heard = {};
  const speak = text => {
    let region = document.getElementById("weakorg-said");
    if (!region) {
      region = document.createElement("div");
      region.id = "weakorg-said";
      region.setAttribute("aria-live", "polite");
      region.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)";
      document.body.appendChild(region);
    }
    region.textContent = text;
  };
  const sayChange = (what, text) => {
    if (!text || text === heard[what]) return;
    const first = !(what in heard);
    heard[what] = text;
    if (!first && keyed) speak(text);
  };
  const textsOf = selector => [...document.querySelectorAll(selector)].map(c => c.textContent.trim());
  const sayChanges = () => {
    sayChange("count", textsOf(COUNT).find(t => t.startsWith("共")));
    sayChange("marked", textsOf(SAY).join(" "));
  };
  // A multiselect's box says what is chosen in it (已选：甲、乙) when it takes the focus: its chosen values are
  // tags before it, each a Tab stop of its own, which a screen reader on the box would not otherwise hear.
  const MULTI = '[data-testid="stMultiSelect"]';
  const sayChosen = () => document.querySelectorAll(MULTI).forEach(box => {
    const input = box.querySelector("input[role=combobox]");
    if (!input) return;
    const tags = [...box.querySelectorAll("[data-tag]")].map(t => t.getAttribute("aria-label") || t.textContent.trim());
    const said = tags.length ? `已选：${tags.join("、")}` : null;
    if (said === null) input.removeAttribute("aria-description");
    else if (input.getAttribute("aria-description") !== said) input.setAttribute("aria-description", said);
  });
  let pending = 0;
  const refocus = () => {
    pending = 0;
    sayChanges();
    sayChosen();
    const now = document.activeElement;
    if (!keyed || !last || (now && now !== document.body) || !document.hasFocus()) return;
    if (document.querySelector("[role=dialog]")) return;
    const again = last.isConnected ? last : [...document.querySelectorAll(last.tagName)].find(
      el => same(el) === same(last));
    const target = again || headingOf();
    if (!target) return;
    if (!again) target.setAttribute("tabindex", "-1");
    target.focus({preventScroll: Boolean(again)});
  };
  // A table (Streamlit's grid) is one Tab stop, as a grid should be: the arrows move between its cells and Tab leaves
  // it (its own Tab went cell by cell, a dozen presses a table). Its scroller, which the arrows scroll, and the main
  // area, which 跳到正文 still focuses, are no Tab stops of their own: nothing a screen reader could name.
  const GRID = '[data-testid="stDataFrame"]', CANVAS = 'canvas[data-testid="data-grid-canvas"]';
  const STOPS = 'a[href], button:not([disabled]), input:not([disabled]), select, textarea, summary, [tabindex="0"]';
  const unstop = el => el.setAttribute("tabindex", "-1");
  document.addEventListener("keydown", e => {
    if (e.key !== "Tab" || e.ctrlKey || e.altKey || e.metaKey || !e.target.matches?.(CANVAS)) return;
    const grid = e.target.closest(GRID), after = Node.DOCUMENT_POSITION_FOLLOWING;
    const stops = [...document.querySelectorAll(STOPS)].filter(el => !grid.contains(el) && el.getClientRects().length);
    const next = e.shiftKey ? stops.filter(el => !(grid.compareDocumentPosition(el) & after)).at(-1)
      : stops.find(el => grid.compareDocumentPosition(el) & after);
    if (!next) return;
    e.preventDefault();
    e.stopPropagation();  // the grid's own Tab (to the next cell) never runs
    next.focus();
  }, true);
  const unstopAll = node => {
    if (node.nodeType !== 1) return;
    node.querySelectorAll(`${GRID} .dvn-scroller:not([tabindex="-1"])`).forEach(unstop);
    if (node.matches(MAIN) && node.getAttribute("tabindex") === "0") unstop(node);
    node.querySelectorAll(`${MAIN}[tabindex="0"]`).forEach(unstop);
  };
  sweep(document.body);
  unstopAll(document.body);
  sayChosen();
  new MutationObserver(changes => {
    if (!pending) pending = setTimeout(refocus, 300);
    for (const c of changes) {
      if (c.type === "attributes") fix(c.target);
      else if (c.type === "characterData") {
        c.target.parentElement?.closest(HINT) && say(c.target.parentElement);
        c.target.parentElement?.closest(LIVE) && announce(c.target.parentElement);
        c.target.parentElement?.closest(DROPZONE) && unEnglish(c.target.parentElement);
        c.target.parentElement?.closest(EMPTY_LIST) && say(c.target.parentElement);
        const refused = c.target.parentElement?.closest(REFUSED);
        if (refused) keep(refused);
      }
      else c.addedNodes.forEach(n => { sweep(n); unstopAll(n); });
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label", "title"],
  });
})();</script>"""
)


def show_style() -> None:
    """Put the style on the page (it takes no room)."""
    st.html(CHROME_CSS)


def show_script() -> None:
    """Put the script on the page; call it last in the sidebar, where its empty element takes no room."""
    st.html(SCREEN_READER_JS, unsafe_allow_javascript=True)


# Brings a heading into view once drawn and puts the keyboard's focus on it (an organization's card opened from a
# row far down a long list: a screen reader reads the card's name, the next Tab goes into the card).
_SCROLL_TO = (
    "<script>setTimeout(() => {{ const h = document.getElementById({anchor}); if (!h) return;"
    " h.setAttribute('tabindex', '-1'); h.focus({{preventScroll: true}}); h.scrollIntoView({{block: 'start'}});"
    " }}, 150);</script>"
)


def scroll_to(anchor: str) -> None:
    """Scroll the page to the heading whose id is ``anchor`` once it is drawn, and focus it."""
    st.html(_SCROLL_TO.format(anchor=json.dumps(anchor)), unsafe_allow_javascript=True)
