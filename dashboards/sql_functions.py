"""The SQL SQLite and PostgreSQL spell differently, written once for both: the items of a
JSON array, and a key of a JSON object."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, cast, func
from sqlalchemy.sql.selectable import TableValuedAlias


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
