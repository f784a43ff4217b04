"""photos on ideas

Revision ID: 99b23f50b244
Revises: c4f152bdd2db
Create Date: 2026-11-27 16:34:02.161164

Before merging, check: does this migration take long locks on big tables (ideas, comments,
supports, votes)? Does the previous release still run against the migrated schema (add columns
nullable or with a server default; drop columns one release after the code stopped using them)?

Reviewed: two new tables only, nothing on existing tables is locked or changed, and the previous
release ignores them. Photo bytes live in photo_variants.content (BYTEA on PostgreSQL), so that
every app process serves the same photos.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import participation.types

revision: str = "99b23f50b244"
down_revision: str | None = "c4f152bdd2db"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idea_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, comment="order on the idea page"),
        sa.Column(
            "alt_text",
            sa.String(length=250),
            nullable=False,
            comment="describes the photo for people who cannot see it",
        ),
        sa.Column(
            "alt_language",
            sa.String(length=8),
            nullable=False,
            comment="language the alt text is written in",
        ),
        sa.Column(
            "width", sa.Integer(), nullable=False, comment="of the largest variant, in pixels"
        ),
        sa.Column(
            "height", sa.Integer(), nullable=False, comment="of the largest variant, in pixels"
        ),
        sa.Column("created_at", participation.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_idea_photos_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_photos")),
        sa.UniqueConstraint("idea_id", "position", name=op.f("uq_idea_photos_idea_id_position")),
    )
    op.create_table(
        "photo_variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False, comment="the JPEG file"),
        sa.Column(
            "sha256",
            sa.String(length=64),
            nullable=False,
            comment="hex digest of content; part of the URL, so caches keep it forever",
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["idea_photos.id"],
            name=op.f("fk_photo_variants_photo_id_idea_photos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_variants")),
        sa.UniqueConstraint("photo_id", "width", name=op.f("uq_photo_variants_photo_id_width")),
    )


def downgrade() -> None:
    op.drop_table("photo_variants")
    op.drop_table("idea_photos")
