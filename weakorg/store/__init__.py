"""The store of every submission (SQLAlchemy): append-only, scoped reads, a version for caches."""

from weakorg.store.db import DEFAULT_PATH, ENV_URL, Store, database_url
from weakorg.store.errors import StoreError, StoreUnavailable

__all__ = ["DEFAULT_PATH", "ENV_URL", "Store", "StoreError", "StoreUnavailable", "database_url"]
