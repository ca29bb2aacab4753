"""People, sessions, trials and their figures, and the exercise log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False, unique=True),
        sa.Column("birth_year", sa.Integer),
        sa.Column("dominant_foot", sa.String(5)),
        sa.Column("diabetes", sa.Boolean, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("dominant_foot IS NULL OR dominant_foot IN ('left', 'right')"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("device", sa.String(200)),
        sa.Column("fps", sa.Float),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.CheckConstraint("kind IN ('assessment', 'training')"),
        sa.CheckConstraint("status IN ('in_progress', 'complete', 'interrupted')"),
    )
    op.create_index("ix_sessions_person_id", "sessions", ["person_id"])
    op.create_table(
        "trials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("task", sa.String(20), nullable=False),
        sa.Column("foot", sa.String(5)),
        sa.Column("toes", sa.JSON, nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("tracks_sha256", sa.String(64)),
        sa.Column("tracks_path", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("task IN ('tremor', 'isolation', 'rom', 'rhythm', 'exercise')"),
        sa.CheckConstraint("foot IS NULL OR foot IN ('left', 'right', 'both')"),
    )
    op.create_index("ix_trials_session_id", "trials", ["session_id"])
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("trial_id", sa.Integer, sa.ForeignKey("trials.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("foot", sa.String(5)),
        sa.Column("toe", sa.Integer),
        sa.CheckConstraint("foot IS NULL OR foot IN ('left', 'right', 'both')"),
    )
    op.create_index("ix_results_trial_id", "results", ["trial_id"])
    op.create_table(
        "exercise_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("exercise_id", sa.String(50), nullable=False),
        sa.Column("reps", sa.Integer),
        sa.Column("holds", sa.Integer),
        sa.Column("minutes", sa.Float),
        sa.Column("pain", sa.Integer),
        sa.Column("comment", sa.Text, nullable=False),
        sa.CheckConstraint("pain IS NULL OR (pain >= 0 AND pain <= 10)"),
    )
    op.create_index("ix_exercise_log_person_id", "exercise_log", ["person_id"])


def downgrade() -> None:
    for table in ("exercise_log", "results", "trials", "sessions", "people"):
        op.drop_table(table)
