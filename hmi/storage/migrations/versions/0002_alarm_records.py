"""ISA-18.2 alarm records on alerts, and the alarm journal

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alarm_key", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("occurrence", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("record", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("announced", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_alerts_alarm_key"), ["alarm_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_version"), ["version"], unique=False)
        batch_op.create_unique_constraint("uq_alerts_key_occurrence", ["alarm_key", "occurrence"])
    op.create_table(
        "alert_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mill", sa.String(length=64), nullable=False),
        sa.Column("alarm_key", sa.String(length=200), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=False),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_journal_alert_id_alerts"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_journal")),
    )
    op.create_index(op.f("ix_alert_journal_ts"), "alert_journal", ["ts"], unique=False)
    op.create_index(op.f("ix_alert_journal_mill"), "alert_journal", ["mill"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_journal_mill"), table_name="alert_journal")
    op.drop_index(op.f("ix_alert_journal_ts"), table_name="alert_journal")
    op.drop_table("alert_journal")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_alerts_key_occurrence", type_="unique")
        batch_op.drop_index(batch_op.f("ix_alerts_version"))
        batch_op.drop_index(batch_op.f("ix_alerts_alarm_key"))
        for col in ("updated_at", "version", "announced", "record", "occurrence", "alarm_key"):
            batch_op.drop_column(col)
