"""Trend rollups (per-minute and per-hour min/max/avg/count), their state, and saved trend views

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _rollup_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.Float(precision=53), nullable=False),
        sa.Column("first_ts", sa.Float(precision=53), nullable=False),
        sa.Column("last_ts", sa.Float(precision=53), nullable=False),
        sa.Column("min_value", sa.Float(precision=53), nullable=False),
        sa.Column("max_value", sa.Float(precision=53), nullable=False),
        sa.Column("avg_value", sa.Float(precision=53), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_id"], ["sensors.id"], name=op.f(f"fk_{name}_sensor_id_sensors"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sensor_id", "bucket", name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    _rollup_table("rollup_minute")
    _rollup_table("rollup_hour")
    op.create_table(
        "rollup_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("watermark", sa.Float(precision=53), nullable=True),
        sa.Column("horizon", sa.Float(precision=53), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rollup_state")),
    )
    op.create_table(
        "trend_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trend_views")),
        sa.UniqueConstraint("owner", "name", name="uq_trend_views_owner_name"),
    )
    op.create_index(op.f("ix_trend_views_owner"), "trend_views", ["owner"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_trend_views_owner"), table_name="trend_views")
    op.drop_table("trend_views")
    op.drop_table("rollup_state")
    op.drop_table("rollup_hour")
    op.drop_table("rollup_minute")
