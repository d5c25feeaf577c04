"""The store of every submission (SQLAlchemy): append-only, scoped reads, a version for caches."""

from weakorg.store.db import DEFAULT_PATH, ENV_URL, Store, database_url

__all__ = ["DEFAULT_PATH", "ENV_URL", "Store", "database_url"]
