"""Engine and sessions: SQLite (WAL, foreign keys, immediate write transactions) or PostgreSQL.

Every write session that changed content moves the content version on (see `ContentVersion`),
which tells the page cache (participation/cache.py) that what it keeps may be out of date.
"""

from __future__ import annotations

import asyncio
import contextvars
import fcntl
import functools
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import asyncpg
from sqlalchemy import BigInteger, Integer, MetaData, event, inspect
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg, PGExecutionContext_asyncpg
from sqlalchemy.dialects.sqlite.aiosqlite import (
    SQLiteDialect_aiosqlite,
    SQLiteExecutionContext_aiosqlite,
)
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.engine.default import DefaultDialect, DefaultExecutionContext
from sqlalchemy.exc import DisconnectionError, MultipleResultsFound, NoResultFound
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    SessionTransaction,
    make_transient_to_detached,
    mapped_column,
)
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.util import greenlet_spawn

from participation import sqlite

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class ContentVersion(Base):
    """A number that moves on with every committed change of content, for the page cache.

    On SQLite the one row is raised inside the write transaction (writers take turns there
    anyway). On PostgreSQL the sequence `content_version_seq` (made by the migration) is
    advanced right after the commit: no row lock for concurrent writers to queue on, and the
    number never goes back, not even after a crash. Either way the number has moved before
    the writer's response is sent, and a reader that reads it before its page's data can only
    store data at least as new as the number says."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
_WRITE_IN_WITH = re.compile(
    r"(?:\bINSERT\s+INTO|(?<!FOR )\bUPDATE|\bDELETE\s+FROM)\s+\"?(\w+)", re.I
)


def written_tables(statement: str) -> tuple[str, ...]:
    """The tables a statement writes to, also in its WITH clause. (Only a WITH statement is
    searched through: a bulk INSERT's text can be megabytes long.)"""
    if statement[:5].upper() == "WITH ":
        return _written_in_with(statement)
    written = _WRITE.match(statement)
    return (written.group(1),) if written else ()


@functools.lru_cache(maxsize=128)
def _written_in_with(statement: str) -> tuple[str, ...]:
    """Remembered per statement: the app's WITH statements are few and built once (a support
    and a comment on PostgreSQL), and searching through one cost more than looking it up."""
    return tuple(_WRITE_IN_WITH.findall(statement))


NOT_CONTENT = frozenset({"rate_limit_counters", "outbox", "content_version"})
"""Tables whose changes show on no page."""

WRITER_TIMEOUT = 30.0
"""Seconds a write waits for its turn on SQLite (as the busy timeout of the connections)."""

SQLITE_BUMP = "UPDATE content_version SET value = value + 1 WHERE id = 1"
POSTGRES_BUMP = "SELECT nextval('content_version_seq')"
SQLITE_READ = "SELECT value FROM content_version WHERE id = 1"
POSTGRES_READ = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM content_version_seq"


query_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "query_counter", default=None
)
"""Set to a one-element list to count the SQL statements a request runs."""


_begin_later: contextvars.ContextVar[bool] = contextvars.ContextVar("begin_later", default=False)
"""Set while a SQLite write session gets its connection: its transaction begins (IMMEDIATE)
once the session has the writer's turn (`Database.start_writing`)."""


def note_statement(books: dict[str, Any], statement: str, read_only: bool = False) -> None:
    """Keep the books on a statement about to run: count it for `query_counter`, note in
    `books` (the connection's `info`, or the driver's, see `run_direct`) whether it changes
    content (`content_changed`, see `Database.session`), and refuse a second writing
    statement in a single-write session and any writing or locking one where the session
    only reads (`read_only`: a read session on PostgreSQL, `ReadOnlySessionError`)."""
    counter = query_counter.get()
    if counter is not None and not statement.startswith(("BEGIN", "PRAGMA")):
        counter[0] += 1
    written = written_tables(statement)
    if not written:
        if read_only and " FOR UPDATE" in statement:
            raise ReadOnlySessionError("A read session locked rows: use a write session.")
        return
    if read_only:
        raise ReadOnlySessionError("A read session wrote: use a write session.")
    if books.get("reading_first"):
        raise SingleWriteError(
            "A session that reads first wrote before its turn: call Database.start_writing."
        )
    if "writes_left" in books:
        if not books["writes_left"]:
            raise SingleWriteError(
                "A single-write session ran a second writing statement; on PostgreSQL the "
                "first has committed already. Use an ordinary write session for this."
            )
        books["writes_left"] = 0
    if any(table.lower() not in NOT_CONTENT for table in written):
        books["content_changed"] = True


class _Bookkeeping(DefaultExecutionContext):
    """Runs `note_statement` before each statement. (As a listener of the engine's events it
    cost more than the statements of a support: with any listener, SQLAlchemy builds the
    dispatch of every connection anew and looks up each of its events around every
    statement, every BEGIN and every COMMIT.)"""

    def pre_exec(self) -> None:
        super().pre_exec()  # type: ignore[no-untyped-call]
        if self.dialect.ready:  # type: ignore[attr-defined]
            info = self.root_connection.info
            note_statement(
                info.get("books", info),  # see _SingleWriteSession
                self.statement,
                self.execution_options.get("read_only", False),
            )


class _KeepsBooks(DefaultDialect):
    """A dialect whose statements keep the books (`_Bookkeeping`), once it has asked the
    database what it needs to know on the first connection: the app ran none of those."""

    ready = False

    def initialize(self, connection: Connection) -> None:
        super().initialize(connection)
        self.ready = True


class _SQLiteContext(_Bookkeeping, SQLiteExecutionContext_aiosqlite):
    pass


class _PostgresContext(_Bookkeeping, PGExecutionContext_asyncpg):
    pass


class SQLiteDialect(_KeepsBooks, SQLiteDialect_aiosqlite):
    """SQLite over `participation.sqlite`: statements keep the books (`note_statement`), and
    transactions begin with BEGIN; a write session's with BEGIN IMMEDIATE once it has the
    writer's turn (`Database.start_writing`)."""

    supports_statement_cache = True
    execution_ctx_cls = _SQLiteContext

    def do_begin(self, dbapi_connection: Any) -> None:
        # Straight to the sqlite3 connection: SQLAlchemy's way of running a statement cost
        # more than the statement, twice for every write (its read, then its write).
        if not _begin_later.get():
            driver = dbapi_connection.driver_connection
            assert isinstance(driver, sqlite.Connection)
            driver.begin(immediate=False)


class PostgresDialect(_KeepsBooks, PGDialect_asyncpg):
    """PostgreSQL over asyncpg, with statements keeping the books (`note_statement`)."""

    supports_statement_cache = True
    execution_ctx_cls = _PostgresContext


registry.register("sqlite.participation", __name__, "SQLiteDialect")
registry.register("postgresql.participation", __name__, "PostgresDialect")


def create_engine(
    url: str, *, enforce_foreign_keys: bool = True, pool_size: int = 10, max_overflow: int = 10
) -> AsyncEngine:
    """Return an engine of `SQLiteDialect` or `PostgresDialect` for the URL (whatever driver
    it names: these are the drivers the app runs on).

    Migrations turn foreign keys off on SQLite: Alembic's batch mode copies and drops tables,
    and with foreign keys on, dropping a table would cascade into the rows that point at it.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        engine = create_async_engine(
            parsed.set(drivername="sqlite+participation"),
            async_creator=sqlite.connector(path, timeout=30),
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let the dialect emit BEGIN (`SQLiteDialect.do_begin`), so that writers can use
            # BEGIN IMMEDIATE and wait on the busy timeout instead of failing when a read lock
            # must be upgraded.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if enforce_foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    else:
        engine = create_async_engine(
            parsed.set(drivername="postgresql+participation"),
            pool_size=pool_size,
            max_overflow=max_overflow,
            # Each connection prepares its statements once (asyncpg), and with this PostgreSQL
            # plans each of them once too. By default it planned the statement of an idea
            # with the signed-in person (correlated subqueries for the navigation) on every
            # run: half a millisecond of the server's time for every support and comment.
            # The app's statements look rows up by key or by the indexes they were written
            # for; their plans do not depend on the values.
            connect_args={"server_settings": {"plan_cache_mode": "force_generic_plan"}},
        )

        @event.listens_for(engine.sync_engine, "checkout")
        def _postgres_checkout(_dbapi: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
            # A connection the server closed (a restart, an idle timeout) is replaced before
            # use. asyncpg notices the closed socket while the connection waits in the pool, so
            # this costs no round trip; SQLAlchemy's pool_pre_ping cost three per checkout.
            connection = record.driver_connection
            if connection is not None and connection.is_closed():
                raise DisconnectionError("the database closed this connection")

    return engine


def _end(_session: Session, transaction: SessionTransaction, error: BaseException | None) -> None:
    """End the transaction as its `with` block does: commit, or roll back after `error`."""
    if error is None:
        transaction.__exit__(None, None, None)
    else:
        transaction.__exit__(type(error), error, error.__traceback__)


@asynccontextmanager
async def _transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """The session in a transaction that commits when the block succeeds and rolls back when
    it fails, then closed.

    The transaction begins right here: that needs no database (the connection comes with the
    first statement), and `AsyncSession.begin()` ran it in a greenlet of its own. Closing only
    lets go of the objects once the connection is back in the pool, also right here:
    `AsyncSession`'s own close ran in a task of its own, one more turn of the event loop."""
    sync = session.sync_session
    transaction = sync.begin()
    transaction.__enter__()
    try:
        try:
            yield session
        except BaseException as error:
            await session.run_sync(_end, transaction, error)
            raise
        await session.run_sync(_end, transaction, None)
    finally:
        if sync.in_transaction():
            await session.close()
        else:
            sync.close()


def _give_back(fd: int, taking: asyncio.Future[None]) -> None:
    """Release a writer lock that a thread took after its waiter gave up."""
    if not taking.cancelled() and taking.exception() is None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _sqlite_driver(connection: AsyncConnection) -> sqlite.Connection:
    """The `participation.sqlite` connection under a session's connection."""
    driver = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
    assert isinstance(driver, sqlite.Connection)
    return driver


@dataclass(frozen=True)
class _Direct:
    """A statement compiled for a dialect, with what `run_direct` needs to run it."""

    statement: Any
    sql: str
    compiled: Compiled
    bind: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    """The parameters in the order the SQL takes them, each with its type's conversion."""
    width: int
    """How many columns the statement returns."""
    result: tuple[tuple[int, Callable[[Any], Any]], ...]
    """The columns it returns that need a conversion (most need none), with their type's."""


_directs: dict[tuple[int, str], _Direct] = {}


def _direct(statement: Any, dialect: Dialect) -> _Direct:
    """`statement` compiled for `dialect`, once (the statements are built once, too)."""
    key = (id(statement), dialect.name)
    found = _directs.get(key)
    if found is not None and found.statement is statement:
        return found
    compiled = statement.compile(dialect=dialect)
    bind = tuple(
        (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in compiled.positiontup or ()
    )
    columns = list(statement.exported_columns)
    converts = (
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
    )
    result = tuple((index, convert) for index, convert in enumerate(converts) if convert)
    made = _Direct(statement, str(compiled), compiled, bind, len(columns), result)
    _directs[key] = made
    return made


@dataclass(frozen=True)
class DirectResult:
    rows: list[tuple[Any, ...]]
    rowcount: int
    """How many rows the statement changed (SQLite; -1 where the driver does not say)."""

    def one_or_none(self) -> tuple[Any, ...] | None:
        if len(self.rows) > 1:
            raise MultipleResultsFound("the statement returned more than one row")
        return self.rows[0] if self.rows else None

    def one(self) -> tuple[Any, ...]:
        row = self.one_or_none()
        if row is None:
            raise NoResultFound("the statement returned no row")
        return row

    def scalar_one_or_none(self) -> Any:
        row = self.one_or_none()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        return self.one()[0]


@dataclass(frozen=True)
class _Driver:
    """Where `run_direct` runs a session's statements: the driver's connection, the dialect
    that compiles them, and the books its statements keep (`note_statement`)."""

    connection: Any
    """An asyncpg connection, or a `participation.sqlite` one."""
    dialect: Dialect
    books: dict[str, Any]


async def run_direct(
    session: AsyncSession,
    statement: Any,
    values: dict[str, Any],
    *,
    wrote: Callable[[DirectResult], bool] | None = None,
) -> DirectResult:
    """Run a table statement built once (a support, a comment) in a write session, straight on
    the driver's connection: SQLAlchemy compiles it once, and converts its parameters and
    the columns it returns with their types, as its own execution does. Running it through
    the session cost twice a round trip to the database in CPU time, for each of the one or
    two statements of every support and comment.

    Straight on the driver only where nothing of the session's transaction is left to
    SQLAlchemy: a SQLite write session (BEGIN went to the driver, too) or a PostgreSQL
    single-write session (each statement commits on its own, on a connection of its own:
    see `Database.session`); anywhere else through the session. The books are kept as for
    any statement (`note_statement`), before it runs.

    `wrote` tells from the result of a statement that writes only when its conditions hold
    whether it wrote: when it did not, the books are as before it ran (a single-write
    session may still run its one writing statement). Only where it runs on the driver."""
    driver: _Driver | None = session.info.get("direct")
    if driver is not None and (session.new or session.dirty or session.deleted):
        await session.flush()  # as the session does before a statement of its own
    if driver is None:
        if wrote is not None:
            raise ValueError("`wrote` is kept only for statements run on the driver")
        result: Any = await session.execute(statement, values)
        rows = [tuple(row) for row in result.all()] if result.returns_rows else []
        return DirectResult(rows, result.rowcount)
    direct = _direct(statement, driver.dialect)
    books_before = dict(driver.books) if wrote is not None else None
    note_statement(driver.books, direct.sql)
    given = direct.compiled.construct_params(values)
    assert given is not None
    parameters = [
        given[name] if convert is None else convert(given[name]) for name, convert in direct.bind
    ]
    connection = driver.connection
    if isinstance(connection, sqlite.Connection):
        found, rowcount = connection.fetch(direct.sql, parameters)
    else:
        found, rowcount = await connection.fetch(direct.sql, *parameters), -1
    rows = []
    for record in found:
        row = list(record)
        if len(row) != direct.width:
            raise RuntimeError(f"{direct.width} columns expected, {len(row)} returned")
        for index, convert in direct.result:
            row[index] = convert(row[index])
        rows.append(tuple(row))
    done = DirectResult(rows, rowcount)
    if books_before is not None and wrote is not None and not wrote(done):
        driver.books.clear()
        driver.books.update(books_before)
    return done


M = TypeVar("M")


class Columns(Generic[M]):
    """The table columns of a mapped class, to select in a statement for `run_direct`, and
    how to make an object of the class from their values (`take`)."""

    def __init__(self, cls: type[M]) -> None:
        mapper = inspect(cls)
        self.cls = cls
        self.table = mapper.local_table
        self.columns = tuple(self.table.columns)
        self.keys = tuple(mapper.get_property_by_column(column).key for column in self.columns)

    def take(self, row: tuple[Any, ...], start: int, **related: Any) -> M | None:
        """The object of the values at `start` in `row` (None where its key is NULL, as after
        an outer join), with the related objects given, as `detached` makes it."""
        values = row[start : start + len(self.keys)]
        if values[0] is None:
            return None
        return detached(self.cls, {**dict(zip(self.keys, values, strict=True)), **related})


def detached(cls: type[M], values: dict[str, Any]) -> M:
    """An object of the mapped class with these attribute values, as a session leaves what it
    loaded once it is closed: detached, nothing changed, and what was not loaded refused
    (DetachedInstanceError) rather than read. For what `run_direct` reads."""
    instance: M = manager_of_class(cls).new_instance()
    instance_state(instance).dict.update(values)
    make_transient_to_detached(instance)
    return instance


HELD_CONNECTIONS = 10
"""Driver connections each process holds at most for single writes on PostgreSQL."""

HOLD_TIMEOUT = 30.0
"""Seconds a single write waits at most for a held connection (as SQLAlchemy's pool)."""


def _asyncpg(connection: PoolProxiedConnection) -> asyncpg.Connection:
    driver = connection.driver_connection
    assert isinstance(driver, asyncpg.Connection)
    return driver


class _HeldConnections:
    """Driver connections held for the single-write sessions on PostgreSQL, each used by one
    session at a time and kept between them, at most `size`. They are made by an engine of
    their own, whose dialect sets them up as the app's other connections (codecs, server
    settings), and given back to it only when the database is disposed: the sessions take
    them from a list, without the pool's checkout, reset and events."""

    def __init__(self, url: str, size: int) -> None:
        self.engine = create_engine(url, pool_size=size, max_overflow=0)
        self.dialect = self.engine.dialect
        self._idle: list[PoolProxiedConnection] = []
        self._room = asyncio.Semaphore(size)

    async def take(self) -> PoolProxiedConnection:
        if self._room.locked():
            async with asyncio.timeout(HOLD_TIMEOUT):
                await self._room.acquire()
        else:
            await self._room.acquire()
        try:
            while self._idle:
                connection = self._idle.pop()
                if not _asyncpg(connection).is_closed():
                    return connection
                connection.invalidate()  # the server closed it
            return await self.engine.raw_connection()
        except BaseException:
            self._room.release()
            raise

    def give_back(self, connection: PoolProxiedConnection, *, usable: bool) -> None:
        """Keep the connection for the next session; one left in the middle of a statement
        (a cancelled request) or in a transaction is closed instead."""
        driver = _asyncpg(connection)
        if usable and not driver.is_closed() and not driver.is_in_transaction():
            self._idle.append(connection)
        else:
            connection.invalidate()  # outside a greenlet SQLAlchemy terminates it at once
        self._room.release()

    async def dispose(self) -> None:
        while self._idle:
            await greenlet_spawn(self._idle.pop().close)  # back to the engine's pool
        await self.engine.dispose()


class _SingleWriteSession(Session):
    """The ORM's side of a single-write session on PostgreSQL (`Database._single_write`): the
    connection it takes keeps the books of the driver's (`note_statement`) while it is the
    session's."""


@event.listens_for(_SingleWriteSession, "after_begin")
def _share_books(session: Session, _transaction: SessionTransaction, connection: Any) -> None:
    driver: _Driver | None = session.info.get("direct")
    if driver is not None:
        connection.info["books"] = driver.books
        session.info["orm_connection"] = connection


class _WriterTurn:
    """The writer's turn on SQLite (`Database._sqlite_writer`), which a write session takes
    when it is ready to write (`take`) and gives back when it ends, after its transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._held: AbstractAsyncContextManager[Any] | None = None

    async def take(self) -> None:
        held = self._db._sqlite_writer()
        await held.__aenter__()
        self._held = held

    async def __aenter__(self) -> _WriterTurn:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            await held.__aexit__(*exc)


class SingleWriteError(RuntimeError):
    """A write session ran a writing statement it must not: a second one in a session for
    one (`Database.session(single_write=True)`), or one before `Database.start_writing` in a
    session that reads first."""


class ReadOnlySessionError(RuntimeError):
    """A read session on PostgreSQL ran a statement that writes or locks rows: each of its
    statements commits on its own (`Database.session`), so it would be neither atomic nor
    locked. Writes belong in a write session."""


_READ_ALONE = {"isolation_level": "AUTOCOMMIT", "read_only": True}
"""The execution options of a connection whose statements each run on their own and only
read (`note_statement`): a read session's on PostgreSQL."""


class Database:
    """The engine and its sessions (`session`): for reads; for writes, which on SQLite take
    turns and begin IMMEDIATE; on PostgreSQL, for single writes outside a transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.sqlite_path = (make_url(url).database or "") if self.is_sqlite else ""
        self._version_reader: sqlite3.Connection | None = None
        self._version_connection: asyncpg.Connection | None = None
        self._version_lock = asyncio.Lock()
        self._advances_started = 0
        self._advances_covered = 0
        self._writing = asyncio.Lock()
        self._writer_lock_fd: int | None = None
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._held: _HeldConnections | None = None
        self._single_write_sessions: async_sessionmaker[AsyncSession] | None = None

    @asynccontextmanager
    async def session(
        self, *, write: bool = False, single_write: bool = False, read_first: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """Yield a session in a transaction that commits on success and rolls back on error.

        A read session (`write=False`) on PostgreSQL runs each statement on its own, outside
        a transaction: two round trips fewer, and no connection idle in a transaction between
        its statements. It must not write or lock rows (`ReadOnlySessionError`).

        `single_write=True`: a write session for one writing statement that checks in SQL
        what it depends on (a support, a comment), with reads before it. On PostgreSQL its
        statements run outside a transaction, each committing as it runs: two round trips
        fewer (BEGIN and COMMIT) and the server's time for them; a second writing statement
        raises `SingleWriteError` before it runs. Its statements for `run_direct` run on a
        driver connection held for such sessions (`_HeldConnections`), the ORM's on one of
        the pool, with the same books (`_single_write`). On SQLite, where a support is two
        statements, it is an ordinary write transaction.

        On SQLite a write session takes its connection, then the writer's turn, then begins
        IMMEDIATE: whoever waits for the turn holds a connection already, so that the one
        holding the turn never waits for a connection. With `read_first=True` the session
        reads before it waits for the turn, each statement on its own, until
        `start_writing` takes the turn and begins the write transaction (a writing statement
        before that raises): other writers do not wait for the reading, and the writing needs
        no session of its own. Elsewhere `start_writing` does nothing."""
        if not write:
            async with _transaction(self._sessions()) as session:
                if not self.is_sqlite:
                    # On PostgreSQL each statement of a read session runs on its own: READ
                    # COMMITTED gives every statement a snapshot of its own in a transaction
                    # too, and BEGIN and COMMIT cost two round trips. (Set on the connection,
                    # not on an engine of its own: that is set through an event, and with any
                    # listener SQLAlchemy's connections cost more.)
                    await session.connection(execution_options=_READ_ALONE)
                yield session
            return
        if single_write and not self.is_sqlite:
            async with self._single_write() as session:
                yield session
            return
        changed = False
        async with _WriterTurn(self) as turn, _transaction(self._sessions()) as session:
            later = _begin_later.set(True)
            try:
                connection = await session.connection()
            finally:
                _begin_later.reset(later)
            info = connection.info
            info["content_changed"] = False
            if self.is_sqlite:  # see run_direct
                session.info["direct"] = _Driver(
                    _sqlite_driver(connection), self.engine.dialect, info
                )
                session.info["writer_turn"] = (turn, connection)
                if read_first:
                    info["reading_first"] = True
                else:
                    await self.start_writing(session)
            try:
                yield session
            finally:
                info.pop("reading_first", None)
                session.info.pop("writer_turn", None)
                session.info.pop("direct", None)
                changed = info.pop("content_changed", False)
            if changed and self.is_sqlite:
                # Straight to the sqlite3 connection, as BEGIN: SQLAlchemy's way of
                # running a statement cost more than this one.
                note_statement(info, SQLITE_BUMP)
                _sqlite_driver(connection).run(SQLITE_BUMP)
        if changed and not self.is_sqlite:
            await self._advance_postgres()

    @asynccontextmanager
    async def _single_write(self) -> AsyncIterator[AsyncSession]:
        """A single-write session on PostgreSQL (see `session`).

        Taking a connection from SQLAlchemy's pool for the session and giving it back cost
        more CPU time than the statements of a support (about 150 µs). The statements for
        `run_direct` run on a driver connection held for these sessions instead. The ORM's
        statements, the rare ones (a form sent without JavaScript, a reply), take a
        connection of the pool when the first runs, each statement committing on its own as
        well, and keep the same books (`_SingleWriteSession`): one writing statement in all."""
        held, sessions = self._held, self._single_write_sessions
        if held is None or sessions is None:
            held = self._held = _HeldConnections(self.url, HELD_CONNECTIONS)
            sessions = self._single_write_sessions = async_sessionmaker(
                # An engine of its own, with its listener: only the rare ORM statements of
                # single writes take its connections.
                self.engine.execution_options(isolation_level="AUTOCOMMIT"),
                sync_session_class=_SingleWriteSession,
                expire_on_commit=False,
            )
        connection = await held.take()
        books: dict[str, Any] = {"content_changed": False, "writes_left": 1}
        session = sessions()
        session.info["direct"] = _Driver(_asyncpg(connection), held.dialect, books)
        usable = True
        try:
            yield session
        except BaseException as error:
            # After an Exception the statements ran to their end: the connection is fine.
            usable = isinstance(error, Exception)
            raise
        finally:
            held.give_back(connection, usable=usable)
            orm: Connection | None = session.info.pop("orm_connection", None)
            if orm is not None:
                orm.info.pop("books", None)
            sync = session.sync_session
            if sync.in_transaction():
                await session.close()
            else:
                sync.close()
            if books["content_changed"]:  # stored already, even after an error
                await self._advance_postgres()

    async def start_writing(self, session: AsyncSession) -> None:
        """Take the writer's turn and begin the write transaction of a session opened with
        `read_first` (on SQLite; elsewhere nothing to do)."""
        waiting: tuple[_WriterTurn, AsyncConnection] | None = session.info.pop("writer_turn", None)
        if waiting is None:
            return
        turn, connection = waiting
        await turn.take()
        _sqlite_driver(connection).begin(immediate=True)
        connection.info.pop("reading_first", None)

    @asynccontextmanager
    async def _sqlite_writer(self) -> AsyncIterator[None]:
        """Wait for the turn to write to the SQLite database.

        SQLite has one writer at a time, and a writer that finds the database locked sleeps
        and tries again with growing pauses (the busy timeout): under load most of the time
        went to those pauses. Instead, this process's writers queue on an asyncio lock, and
        the processes on an OS lock on a file beside the database (flock), which wakes the
        next writer the moment the previous one is done. Waits at most WRITER_TIMEOUT."""
        async with self._writing:
            path = self.sqlite_path
            if not path or path == ":memory:":
                yield
                return
            if self._writer_lock_fd is None:
                self._writer_lock_fd = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
            fd = self._writer_lock_fd
            try:  # free: taken right here, without a thread
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                taking = asyncio.ensure_future(asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX))
                try:
                    await asyncio.wait_for(asyncio.shield(taking), WRITER_TIMEOUT)
                except BaseException:
                    # The thread may still get the lock: give it back as soon as it has it.
                    taking.add_done_callback(functools.partial(_give_back, fd))
                    raise
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    async def content_version(self) -> int:
        """The current content version (one statement, counted as such).

        Read on a connection of its own, without the ORM: it is the only statement of a page
        served from the cache. On SQLite it is read right here, a microsecond read of one row
        that a writer never blocks in WAL mode (handing it to the driver's thread cost more
        than the read); on PostgreSQL over one asyncpg connection per process, which also
        advances it after each write that changed content."""
        counter = query_counter.get()
        if counter is not None:
            counter[0] += 1
        if self.is_sqlite:
            if self._version_reader is None:
                reader = sqlite3.connect(
                    self.sqlite_path, isolation_level=None, check_same_thread=False
                )
                reader.execute("PRAGMA query_only=ON")
                self._version_reader = reader
            return int(self._version_reader.execute(SQLITE_READ).fetchone()[0])
        return await self._on_version_connection(POSTGRES_READ)

    async def _advance_postgres(self) -> None:
        """Move the content version on after a write has committed (PostgreSQL).

        Any advance that starts after the write committed makes the pages show it. Writes
        that commit while one is running wait for the next, and share it: under load one
        round trip serves several writes. A failed advance serves none of them."""
        wanted = self._advances_started + 1  # the first advance to start from now on
        async with self._version_lock:
            if self._advances_covered >= wanted:
                return  # one that started after this write committed has succeeded
            self._advances_started += 1
            number = self._advances_started
            await self._on_version_connection_locked(POSTGRES_BUMP)
            self._advances_covered = number

    async def _on_version_connection(self, statement: str) -> int:
        """Run a statement of the content version on PostgreSQL, outside any transaction (one
        round trip), over this process's connection for it (made again when it was lost)."""
        async with self._version_lock:
            return await self._on_version_connection_locked(statement)

    async def _on_version_connection_locked(self, statement: str) -> int:
        """`_on_version_connection` for a caller that holds the connection's lock."""
        for attempt in (1, 2):
            try:
                if self._version_connection is None or self._version_connection.is_closed():
                    dsn = make_url(self.url).set(drivername="postgresql")
                    self._version_connection = await asyncpg.connect(
                        dsn.render_as_string(hide_password=False)
                    )
                return int(await self._version_connection.fetchval(statement))
            except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError):
                self._version_connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def dispose(self) -> None:
        if self._writer_lock_fd is not None:
            os.close(self._writer_lock_fd)
            self._writer_lock_fd = None
        if self._version_reader is not None:
            self._version_reader.close()
            self._version_reader = None
        if self._version_connection is not None:
            await self._version_connection.close()
            self._version_connection = None
        if self._held is not None:
            await self._held.dispose()
            self._held = None
        await self.engine.dispose()
