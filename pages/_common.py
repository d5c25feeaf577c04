"""What every page shares: the store, first-start samples, the sidebar filters and the cached picture."""

from __future__ import annotations

import streamlit as st

from weakorg import app
from weakorg.store import Store, database_url

FILTER_UNITS = "filter_units"
FILTER_CATEGORIES = "filter_categories"


@st.cache_resource(show_spinner=False)
def store_for(url: str) -> Store:
    """One store (one engine and connection pool) per database URL and process."""
    return Store(url)


def get_store() -> Store:
    """The store of the configured database."""
    return store_for(database_url())


@st.cache_resource(show_spinner="正在载入示例数据……")
def seed(url: str) -> list[int]:
    """Load the sample returns into an empty store, once per process."""
    return app.load_samples_if_empty(store_for(url))


def scope() -> tuple[str, ...] | None:
    """The units the current user may see; None (everything) until accounts and roles arrive."""
    return None


def filters() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sidebar filters (units, categories) as set in the router; empty means all."""
    units = tuple(sorted(st.session_state.get(FILTER_UNITS) or ()))
    categories = tuple(sorted(st.session_state.get(FILTER_CATEGORIES) or ()))
    return units, categories


@st.cache_data(show_spinner=False, max_entries=64)
def _picture(url: str, version: int, scope: tuple[str, ...] | None, units: tuple, categories: tuple):
    return app.picture(store_for(url), scope, units, categories)


def current_picture():
    """The consolidated picture for this user's scope and filters, cached on the store's version."""
    url = database_url()
    return _picture(url, store_for(url).version(), scope(), *filters())


@st.cache_data(show_spinner=False, max_entries=16)
def unit_options(url: str, version: int, scope: tuple[str, ...] | None) -> list[str]:
    """The units the sidebar filter offers."""
    return app.unit_options(store_for(url), scope=scope)


@st.cache_data(show_spinner=False, max_entries=32)
def processed(uploads: tuple[tuple[str, bytes], ...]) -> list[app.UploadResult]:
    """The uploaded files read and checked (each distinct batch once)."""
    return app.process_uploads(list(uploads))


@st.cache_data(show_spinner=False)
def templates() -> bytes:
    """The three blank official templates as one zip."""
    from weakorg.export.templates import templates_zip

    return templates_zip()
