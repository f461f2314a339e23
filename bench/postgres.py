"""Throwaway PostgreSQL databases for benchmarks, created beside an existing one and always dropped."""

import contextlib
import uuid

import psycopg


@contextlib.contextmanager
def throwaway_database(admin_url, template=None):
    """The URL of a new database next to the one `admin_url` names, empty or a copy of `template` (a database's
    name); dropped on exit, even if in use."""
    name = f"siplan_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
