"""Alembic migrations of the store's database, shipped inside the package.

``corridor.store`` runs them itself (``corridor db upgrade``; every store call upgrades a
database to the newest revision on first use), on a connection it has already locked, so
there is no ``alembic.ini``. A new revision is a hand-written file in ``versions/`` with
``revision``, ``down_revision``, ``upgrade()`` and ``downgrade()``; the test suite checks that
the newest revision builds exactly the tables ``corridor.store`` queries.
"""
