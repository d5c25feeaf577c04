"""The store of every submission (SQLAlchemy): append-only, scoped reads, a version for caches."""

from weakorg.store.db import Store
from weakorg.store.engine import DEFAULT_PATH, ENV_URL, database_url, existing, exists
from weakorg.store.errors import StoreError, StoreUnavailable

__all__ = ["DEFAULT_PATH", "ENV_URL", "Store", "StoreError", "StoreUnavailable", "database_url", "existing", "exists"]
