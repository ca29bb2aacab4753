"""The context of a session's tremor test (at rest or not, time of day, caffeine, tiredness,
stress, a change of medicine), kept as JSON with the session.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable, so every session stored before keeps its row as it was: no context given
    op.add_column("sessions", sa.Column("context", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("context")
