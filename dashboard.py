"""The router: page config, first-start samples, sign-in, the shared sidebar filters, then the page chosen."""

import streamlit as st

from pages._route import leave_legacy_mode, pages


def main() -> None:
    """One run of the app."""
    leave_legacy_mode()  # first, before the imports below take a second on a fresh server

    from pages import _chrome, _filters, _signin
    from pages import _common as common
    from weakorg import app, scoped
    from weakorg.campaign import CampaignFileMissing, CampaignInvalid
    from weakorg.store import StoreError
    from weakorg.vocab import APP_TITLE, CATEGORY_LABEL, UNIT_LABEL

    st.set_page_config(page_title=APP_TITLE, layout="wide")
    _chrome.show_style()
    routes = pages()

    try:  # a database fault (damaged, unreachable, full) anywhere below: its Chinese message, no traceback
        store = common.get_store()
        common.seed(store.url)
        _signin.gate(store, routes)  # once an account exists, nothing below runs before sign-in

        unit_options = common.unit_options(store.url, store.version(), common.scope())
        _filters.sync_from_url(unit_options)  # a link or a drill-down sets the filters before the widgets show them

        with st.sidebar:
            st.multiselect(
                UNIT_LABEL,
                unit_options,
                key=_filters.FILTER_UNITS,
                placeholder="全部单位" if common.scope() is None else scoped.SCOPE_PLACEHOLDER,
                select_all=False,  # Streamlit's "Select all" speaks English, and one stray click takes every unit
            )
            st.multiselect(
                CATEGORY_LABEL,
                app.category_options(),
                key=_filters.FILTER_CATEGORIES,
                placeholder="全部类别",
                select_all=False,
            )
            _chrome.show_script()
        shown = _signin.permitted(routes)
        page = st.navigation(shown)  # a role's pages only (no upload page for a 督导组)
        st.set_page_config(page_title=common.window_title(page.title))  # each tab says which page it is
        _signin.say_if_not_yours(routes, shown)  # an address of a page not shown: which, and why
        _filters.keep_to(page.url_path)  # an organization opened in 组织明细 stays there
        _filters.write_url()
        page.run()
    except (StoreError, CampaignFileMissing, CampaignInvalid) as exc:  # the server's setting: said, no traceback
        common.store_fault(exc, routes)
    except Exception as exc:  # a bug: a Chinese line, then Streamlit's notice without details (the server log's)
        common.unexpected_fault(exc, routes)
        raise


# Streamlit runs this file as __main__. A process multiprocessing starts while a run is under way may run it as
# __mp_main__ (the reader pool's workers are started with this module hidden, but another session's run may have put
# it back meanwhile): nothing is routed there.
if __name__ == "__main__":
    main()
