"""Alembic migrations of the toelab database, applied by :func:`toelab.store.upgrade`."""
