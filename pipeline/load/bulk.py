"""Bulk transfer between polars frames and the database, inside the caller's transaction.

PostgreSQL takes the rows through psycopg's binary `COPY ... FROM STDIN (FORMAT binary)`, each
value in its column's binary form (no text to format or parse), SQLite through the driver's
`executemany`. Both run on the connection SQLAlchemy already holds, so a bulk write is
part of the surrounding transaction: all of it or none of it. Rows go in chunks (SQLite) or one
by one (COPY), so memory stays bounded by the chunk, not by the frame's text form.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any, Final

import polars as pl
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    SmallInteger,
    String,
    Table,
    any_,
    bindparam,
    false,
    func,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

CHUNK_ROWS: Final = 100_000
POSTGRES_TYPES: Final[tuple[tuple[type[TypeEngine[Any]], str], ...]] = (
    (SmallInteger, "int2"),
    (BigInteger, "int8"),
    (Integer, "int4"),
    (Float, "float8"),
    (Boolean, "bool"),
    (Date, "date"),
    (String, "text"),  # also enums, stored as VARCHAR: text is binary-compatible with it
)
"""SQLAlchemy column types and the PostgreSQL type binary COPY writes for them (subclasses
first: SmallInteger and BigInteger are Integers)."""
SQLITE_DATETIME_FORMAT: Final = "%Y-%m-%d %H:%M:%S.%6f"
"""SQLAlchemy's own storage format for DateTime on SQLite (UTC, without offset)."""


def json_array(column: str) -> pl.Expr:
    """A List(String) column as JSON array text, escaped by polars' JSON encoder."""
    encoded = pl.struct(pl.col(column).alias("a")).struct.json_encode()
    return encoded.str.slice(len('{"a":'), None).str.strip_suffix("}").alias(column)


def _for_sqlite(frame: pl.DataFrame) -> pl.DataFrame:
    """Values as SQLAlchemy stores them on SQLite: text dates, 0/1 booleans, JSON text."""
    conversions: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            utc = pl.col(name).dt.convert_time_zone("UTC") if dtype.time_zone else pl.col(name)
            conversions.append(utc.dt.strftime(SQLITE_DATETIME_FORMAT).alias(name))
        elif isinstance(dtype, pl.Date):
            conversions.append(pl.col(name).dt.to_string("%Y-%m-%d").alias(name))
        elif isinstance(dtype, pl.Boolean):
            conversions.append(pl.col(name).cast(pl.Int8))
        elif isinstance(dtype, pl.Enum | pl.Categorical):
            conversions.append(pl.col(name).cast(pl.String))
        elif isinstance(dtype, pl.List):
            conversions.append(json_array(name))
    return frame.with_columns(conversions) if conversions else frame


def _for_binary_copy(frame: pl.DataFrame) -> pl.DataFrame:
    """Values as psycopg's binary COPY dumps them: enums as their text (lists stay lists:
    psycopg writes them as JSON for a jsonb column)."""
    enums = [
        pl.col(n).cast(pl.String)
        for n, t in frame.schema.items()
        if isinstance(t, pl.Enum | pl.Categorical)
    ]
    return frame.with_columns(enums) if enums else frame


def _postgres_type(kind: TypeEngine[Any]) -> str:
    """The PostgreSQL type a column of SQLAlchemy type `kind` has, by psycopg's name for it."""
    if isinstance(kind, JSON):
        return "jsonb"
    if isinstance(kind, DateTime):
        return "timestamptz" if kind.timezone else "timestamp"
    for sqlalchemy_type, name in POSTGRES_TYPES:
        if isinstance(kind, sqlalchemy_type):
            return name
    raise TypeError(f"no binary COPY type for {kind!r}")


def bulk_insert(connection: Connection, table: Table, frame: pl.DataFrame) -> int:
    """Append `frame`'s rows to `table` (columns by name) in the connection's transaction."""
    if frame.is_empty():
        return 0
    unknown = set(frame.columns) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"{table.name} has no columns {sorted(unknown)}")
    raw: Any = connection.connection.driver_connection
    columns = ", ".join(frame.columns)
    if connection.dialect.name == "postgresql":
        ready = _for_binary_copy(frame)
        statement = f"COPY {table.name} ({columns}) FROM STDIN (FORMAT binary)"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types([_postgres_type(table.c[name].type) for name in frame.columns])
            for row in ready.iter_rows():
                copy.write_row(row)
    else:
        ready = _for_sqlite(frame)
        marks = ", ".join("?" * len(frame.columns))
        statement = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
        for chunk in ready.iter_slices(CHUNK_ROWS):
            raw.executemany(statement, chunk.iter_rows())
    return frame.height


def one_of(connection: Connection, column: ColumnElement[str], values: Sequence[str]) -> Any:
    """`column IN values` with the values as one bound value, however many there are: a
    PostgreSQL array, a JSON array SQLite reads with `json_each` (a list of bound values has a
    limit per statement on both)."""
    if not values:  # an empty array literal has no type PostgreSQL can infer
        return false()
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(String)))
    listed = func.json_each(bindparam(None, json.dumps(list(values)))).table_valued("value")
    return column.in_(select(listed.c.value))


def _from_storage(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Cast columns read back from the database to `schema` (SQLite keeps dates as text)."""
    casts: list[pl.Expr] = []
    for name, dtype in schema.items():
        column, stored = pl.col(name), frame.schema[name]
        if isinstance(dtype, pl.Datetime) and stored == pl.String:
            parsed = column.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit=dtype.time_unit)
            casts.append(parsed.dt.replace_time_zone(dtype.time_zone).alias(name))
        elif isinstance(dtype, pl.Datetime) and isinstance(stored, pl.Datetime):
            casts.append(column.dt.convert_time_zone(dtype.time_zone or "UTC").cast(dtype))
        elif isinstance(dtype, pl.Date) and stored == pl.String:
            casts.append(column.str.to_date("%Y-%m-%d"))
        else:
            casts.append(column.cast(dtype))
    return frame.with_columns(casts)


def read_frame(connection: Connection, query: Select[Any], schema: pl.Schema) -> pl.DataFrame:
    """Run `query` (its columns named as in `schema`) and return the rows as a typed frame.

    PostgreSQL streams the result through `COPY (...) TO STDOUT`; SQLite through the driver's
    cursor. Bound values go to the driver as parameters, never into the SQL text.
    """
    sql, params = _statement_and_parameters(connection.dialect, query)
    raw: Any = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        buffer = io.BytesIO()
        with (
            raw.cursor() as cursor,
            # COPY takes no server-side parameters: psycopg binds them client-side, escaping
            # each value for this connection.
            cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)", params) as copy,
        ):
            for block in copy:
                buffer.write(block)
        if buffer.tell() == 0:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        text_schema = dict.fromkeys(schema.names(), pl.String)
        frame = pl.read_csv(buffer, schema_overrides=text_schema)
        frame = frame.with_columns(
            pl.col(n).replace("", None) for n, t in schema.items() if t != pl.String
        )
        return _decode_postgres_text(frame, schema)
    rows = raw.execute(sql, params).fetchall()
    frame = pl.DataFrame(rows, schema=schema.names(), orient="row", infer_schema_length=None)
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    return _from_storage(frame, schema)


def _statement_and_parameters(dialect: Dialect, query: Select[Any]) -> tuple[str, Any]:
    """`query` as SQL with placeholders, and its bound values as the driver takes them (in order
    for SQLite, by name for psycopg), each through its type's bind processor."""
    compiled = query.compile(dialect=dialect)
    expanded = compiled.construct_expanded_state()  # `IN` lists become one placeholder a value
    types = {name: bind.type for name, bind in compiled.binds.items()}
    for name, names in expanded.parameter_expansion.items():
        types.update(dict.fromkeys(names, types[name]))

    def bound(name: str) -> Any:
        value = expanded.parameters[name]
        process = types[name].dialect_impl(dialect).bind_processor(dialect)
        return value if process is None else process(value)

    if expanded.positiontup is not None:
        return expanded.statement, tuple(bound(name) for name in expanded.positiontup)
    if not expanded.parameters:  # psycopg reads `%%` as `%` only when it binds parameters
        return expanded.statement.replace("%%", "%"), None
    return expanded.statement, {name: bound(name) for name in expanded.parameters}


def _decode_postgres_text(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Cast PostgreSQL's CSV text output (`t`/`f` booleans, ISO dates) to `schema`."""
    casts: list[pl.Expr] = []
    for name, dtype in schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Boolean):
            casts.append(column.replace_strict({"t": True, "f": False}, return_dtype=pl.Boolean))
        elif isinstance(dtype, pl.Datetime):
            parsed = column.str.to_datetime("%Y-%m-%d %H:%M:%S%.f%#z", time_unit=dtype.time_unit)
            casts.append(parsed.dt.convert_time_zone(dtype.time_zone or "UTC"))
        elif isinstance(dtype, pl.Date):
            casts.append(column.str.to_date("%Y-%m-%d"))
        else:
            casts.append(column.cast(dtype))
    return frame.with_columns(casts)
