"""The ledger lives in the store's database: the same per-test database as the store tests, so
``HEARING_WATCH_TEST_DB_URL`` runs these on PostgreSQL too (see tests/store/conftest.py)."""

from tests.store.conftest import db_url, store

__all__ = ["db_url", "store"]
