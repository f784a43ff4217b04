"""Migrations keep the data that is already there (SQLite rebuilds tables in batch mode)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from participation.cli import alembic_config


def test_upgrading_sqlite_keeps_memberships_and_roles(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    config = alembic_config(f"sqlite+aiosqlite:///{path}")
    command.upgrade(config, "99b23f50b244")  # before memberships gained `verified_by_id`
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO areas (id, slug, name, status, description, position, idea_count,"
            " created_at) VALUES (1, 'a', 'A', 'active', '{}', 0, 0, '2026-01-01')"
        )
        db.execute(
            "INSERT INTO users (id, email, display_name, preferred_locale, is_admin,"
            " session_epoch, created_at) VALUES (1, 'x@example.org', 'X', 'de', 0, 0, '2026-01-01')"
        )
        db.execute(
            "INSERT INTO memberships (id, user_id, area_id, joined_at)"
            " VALUES (1, 1, 1, '2026-01-01')"
        )
        db.execute(
            "INSERT INTO membership_roles (membership_id, role)"
            " VALUES (1, 'resident'), (1, 'owner')"
        )
    command.upgrade(config, "head")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM memberships").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM membership_roles").fetchone() == (2,)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
