"""The throwaway server's database helpers quote only names that need no escaping."""

from __future__ import annotations

import pytest

from benchmarks.pg_server import create_databases, drop_databases


@pytest.mark.parametrize("name", ['x"; DROP DATABASE postgres; --', "Upper", "", "a b", "1st"])
def test_a_database_name_that_would_need_escaping_is_refused_before_any_sql(name: str) -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/postgres"  # never connected to
    with pytest.raises(ValueError, match="not a database name"):
        create_databases(unreachable, name)
    with pytest.raises(ValueError, match="not a database name"):
        drop_databases(unreachable, name)
