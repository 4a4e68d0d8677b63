"""Migrations with data: upgrade to head, load data, downgrade the newest migration and upgrade
again: no row lost. Every table the older schema has keeps every row through the downgrade and
the upgrade (SQLite's batch migrations copy tables, so this is not a given), with every value of
the columns both schemas have. Tables the newest migration creates go away with its downgrade,
rows and all; back them up before a downgrade. A table it drops comes back empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, select

from db import migrate
from tests.reliability.state import run_in_process


def _newest_pair() -> tuple[str, str] | None:
    """(the revision before head, head), or None if head has no single predecessor."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    head = script.get_revision(migrate.head_revision() or "base")
    assert head is not None
    below = head.down_revision
    return (below, head.revision) if isinstance(below, str) else None


def _rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (alembic's own aside), as dicts, in a stable order."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    rows: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for name, table in metadata.tables.items():
            if name != "alembic_version":
                found = [dict(row._mapping) for row in connection.execute(select(table))]
                rows[name] = sorted(found, key=repr)
    return rows


def _common(older: list[dict[str, Any]], newer: list[dict[str, Any]]) -> set[str]:
    """The columns rows of both schemas have (none when either has no row)."""
    return set(older[0]) & set(newer[0]) if older and newer else set()


def _only(rows: list[dict[str, Any]], columns: set[str]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in row.items() if k in columns} for row in rows), key=repr)


def test_downgrading_the_newest_migration_and_upgrading_again_loses_no_row(
    landing_dir: Path, database_url: str, migrated_engine: Engine
) -> None:
    pair = _newest_pair()
    if pair is None:
        pytest.skip("head has no single predecessor: downgrading one step would drop the schema")
    older, head = pair
    run_in_process(landing_dir, database_url)
    loaded = _rows(migrated_engine)
    assert sum(map(len, loaded.values())) > 1000

    migrate.downgrade(migrated_engine, older)
    assert migrate.current_revision(migrated_engine) == older
    kept = _rows(migrated_engine)
    for name, rows in kept.items():
        # A table the newest migration dropped comes back empty; columns it dropped come back
        # from the data it kept (compared on the columns both schemas have).
        if name not in loaded:
            assert rows == [], name
            continue
        columns = _common(rows, loaded[name])
        assert _only(rows, columns) == _only(loaded[name], columns), name
        assert len(rows) == len(loaded[name]), name

    migrate.upgrade(migrated_engine)
    assert migrate.current_revision(migrated_engine) == head
    again = _rows(migrated_engine)
    assert set(again) == set(loaded)
    for name, rows in kept.items():
        if name not in loaded:
            continue
        # Every row and every value the older schema holds is back; columns the newest
        # migration adds start again empty, as a downgrade cannot keep them.
        columns = _common(rows, loaded[name])
        assert _only(again[name], columns) == _only(loaded[name], columns), name
        assert len(again[name]) == len(loaded[name]), name
