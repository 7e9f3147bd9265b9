"""Versioned calibration records (who, when, why, before and after) per sensor

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calibration_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("eui", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("console", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before_offset", sa.Float(precision=53), nullable=False),
        sa.Column("before_multiplier", sa.Float(precision=53), nullable=False),
        sa.Column("after_offset", sa.Float(precision=53), nullable=False),
        sa.Column("after_multiplier", sa.Float(precision=53), nullable=False),
        sa.Column("raw_value", sa.Float(precision=53), nullable=True),
        sa.Column("reference", sa.Float(precision=53), nullable=True),
        sa.Column("reading_before", sa.Float(precision=53), nullable=True),
        sa.Column("command_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_id"], ["sensors.id"], name=op.f("fk_calibration_records_sensor_id_sensors"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_records")),
        sa.UniqueConstraint("sensor_id", "version", name="uq_calibration_records_sensor_version"),
    )
    op.create_index(op.f("ix_calibration_records_sensor_id"), "calibration_records", ["sensor_id"], unique=False)
    op.create_index(op.f("ix_calibration_records_eui"), "calibration_records", ["eui"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_calibration_records_eui"), table_name="calibration_records")
    op.drop_index(op.f("ix_calibration_records_sensor_id"), table_name="calibration_records")
    op.drop_table("calibration_records")
