"""The few SQL functions SQLite and PostgreSQL spell differently, written once for both:
the Monday that starts a date's week, and the items of a JSON array."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Date, String, cast, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import TableValuedAlias


class week_start(FunctionElement[Any]):  # noqa: N801 - SQL function, named like one
    """The Monday of the ISO week a date falls in, as a DATE."""

    type = Date()
    name = "week_start"
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(element.clauses, **kw)
    # strftime('%w') is 0 on Sunday: go back (weekday + 6) % 7 days to reach Monday.
    return f"date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(date_trunc('week', {compiler.process(element.clauses, **kw)}) AS DATE)"


def json_array_items(array: ColumnElement[Any], dialect: str) -> TableValuedAlias:
    """A table of the items of a JSON array column, one row each, in a column `value`:
    for a FROM clause next to the table that holds the array."""
    if dialect == "postgresql":
        return func.jsonb_array_elements(array).table_valued("value").alias("item")
    return func.json_each(array).table_valued("value").alias("item")


def json_text(items: TableValuedAlias, key: str, dialect: str) -> ColumnElement[str]:
    """The text of `key` in each JSON object of `items` (NULL where it is missing)."""
    if dialect == "postgresql":
        return items.c.value.op("->>", return_type=String)(key)
    return cast(func.json_extract(items.c.value, f"$.{key}"), String)
