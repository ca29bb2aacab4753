"""Which process keeps a session in progress (host, process id and its start), so that the
next program to open the store can tell a session whose process was killed from one still
running, and mark it interrupted at once rather than after hours.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable: sessions stored before have no owner and are judged by their age alone
    op.add_column("sessions", sa.Column("owner", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("owner")
