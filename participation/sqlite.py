"""SQLite for SQLAlchemy's asyncio engine, run on the event loop's own thread.

aiosqlite runs each connection in a thread of its own and hands every call over to it: a
cursor, each statement, each fetch, each commit. Reading a page or storing a support took some
forty such hand-overs, and under load they cost more CPU time than the queries: SQLite answers
an indexed read of a local file in microseconds. These classes offer aiosqlite's interface (the
part SQLAlchemy's aiosqlite dialect uses) over a plain `sqlite3` connection, calling it right
away. Nothing waits for another writer inside SQLite: `Database` gives writers their turn
before they begin (participation/db.py); the busy timeout remains only for writers outside
the app, such as a migration.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any


class _CallAtOnce:
    """Stands in for aiosqlite's queue of calls for its thread (SQLAlchemy sets the isolation
    level through it): runs the call and settles its future at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:
            if future is not None:
                future.set_exception(error)
        else:
            if future is not None:
                future.set_result(result)


class Cursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        self._cursor.execute(sql, parameters if parameters is not None else ())
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Cursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class Connection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection
        self._tx = _CallAtOnce()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> Cursor:
        return Cursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        return await self.cursor().execute(sql, parameters)

    def run(self, sql: str) -> None:
        """Run a statement that returns nothing, at once."""
        self._conn.execute(sql)

    def fetch(self, sql: str, parameters: Sequence[Any]) -> tuple[list[Any], int]:
        """Run a statement at once; return its rows and how many rows it changed."""
        cursor = self._conn.execute(sql, parameters)
        try:
            return cursor.fetchall(), cursor.rowcount
        finally:
            cursor.close()

    def begin(self, *, immediate: bool) -> None:
        """Begin a transaction; IMMEDIATE takes the write lock right away."""
        self._conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._conn.create_function(*args, **kw)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


def connector(path: str, *, timeout: float) -> Callable[[], Any]:
    """An `async_creator` for `create_async_engine` that opens the SQLite file at `path`."""

    async def connect() -> Connection:
        # check_same_thread: the pool may close a connection from the garbage collector's
        # thread; all statements run on the event loop's thread.
        return Connection(sqlite3.connect(path, timeout=timeout, check_same_thread=False))

    return connect
