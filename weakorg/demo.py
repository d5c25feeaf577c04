"""Demo or production: when the sample returns may be loaded into a store, and when never.

``make run`` on a fresh checkout is a demo: the store is the default SQLite file (``data/weakorg.db``),
brand new, and fills with the sample returns so the dashboard is full at once. Anything else is
production and never gets a sample: a database named by ``WEAKORG_DATABASE_URL`` (PostgreSQL, or a
SQLite file of the deployment's own), a store that has held a submission, a store with an account.

``WEAKORG_DEMO`` (unset or empty: not said) overrides the first rule only: ``1`` lets any database be
a demo (a demonstration on PostgreSQL, a test's temporary store), ``0`` makes even the default file
production. A store with submissions or accounts never gets samples, whatever it says.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from weakorg.accounts import Account, has_accounts, scoped_role
from weakorg.store.engine import ENV_URL, database_url
from weakorg.vocab import ADMIN, ANALYST, LEADER, ROLES, SUPERVISOR

if TYPE_CHECKING:
    from weakorg.campaign import Campaign
    from weakorg.store import Store

ENV_DEMO = "WEAKORG_DEMO"
_ON, _OFF = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})
log = logging.getLogger(__name__)
VISITOR_ROLES = (ADMIN, ANALYST, SUPERVISOR, LEADER)  # the one-click 体验 a demo offers, in this order
SUPERVISED = 2  # a 督导组 visitor sees the campaign's first two units


def demo_database(url: str) -> bool:
    """Whether the database at ``url`` may hold a demo: ``WEAKORG_DEMO`` when set, else only the default file."""
    flag = os.environ.get(ENV_DEMO, "").strip().lower()
    if flag:
        if flag not in _ON | _OFF:
            log.warning("%s is neither 1 nor 0: no demo", ENV_DEMO)
        return flag in _ON
    if os.environ.get(ENV_URL):
        return False
    parsed, default = make_url(url), make_url(database_url())  # no URL in the environment: the default file
    return parsed.get_backend_name() == "sqlite" and parsed.database == default.database


def may_load_samples(store: Store, demo: bool | None = None) -> bool:
    """Whether the samples may go into ``store``: a demo database (``demo``, else ``demo_database``), brand new.

    Brand new: no submission ever stored and no account, not even a disabled one (the deployment is in use).
    """
    demo = demo_database(store.url) if demo is None else demo
    return demo and store.is_empty() and not has_accounts(store)


def visitor(role: str, campaign: Campaign | None = None) -> Account:
    """Who a one-click 体验 of ``role`` acts as in a demo: an Account with no row in the store (``demo``), so
    demo mode stays on; a role that reads only its units (督导组) gets the campaign's first two."""
    from weakorg.campaign import default_campaign

    if role not in ROLES:
        raise ValueError(f"unknown role: {role!r}")
    units = None
    if scoped_role(role):
        units = frozenset((campaign or default_campaign()).unit_names[:SUPERVISED])
    return Account(f"体验{ROLES[role]}", f"体验账号（{ROLES[role]}）", role, units, demo=True)
