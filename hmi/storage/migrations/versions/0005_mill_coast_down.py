"""Per-mill e-stop coast-down time (plant file `[mills.estop] coast_down`)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mills") as batch:
        batch.add_column(sa.Column("estop_coast_down", sa.Float(), nullable=False, server_default="30"))


def downgrade() -> None:
    with op.batch_alter_table("mills") as batch:
        batch.drop_column("estop_coast_down")
