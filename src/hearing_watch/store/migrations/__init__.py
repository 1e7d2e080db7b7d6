"""Alembic migrations, run from the package by :meth:`hearing_watch.store.Store.migrate`."""
