"""The app's pages, and out of Streamlit's legacy pages/ mode before anything else runs. Streamlit only, so the
router can use it before its heavy imports."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def pages() -> list:
    """Every page of the app, in the sidebar's order (new objects: Streamlit marks the one it runs)."""
    return [
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


def leave_legacy_mode() -> None:
    """Leave Streamlit's legacy pages/ mode at once, should this run be in it: the pages, hidden, then one rerun.

    A fresh server that has a ``pages/`` folder starts in that mode: its first run lists every file of the folder
    in the sidebar (English file names: dashboard, common, filters…) and runs a page's file alone when its URL is
    the first request. ``st.navigation`` ends the mode for the life of the process; called here with every page,
    hidden, it takes the file names off the sidebar at once and resolves the address asked for to its page, which
    the rerun then runs through the router (sign-in, samples, sidebar) and shows in the sidebar as usual.
    """
    if PagesManager.uses_pages_directory:
        st.navigation(pages(), position="hidden")
        st.rerun()
