"""The assessment battery, the training programme, plans and red flags, as data.

The web app and the command line read these same definitions.
"""

from toelab.protocols.battery import BATTERY, AssessmentTest, Condition, get_test
from toelab.protocols.exercises import EXERCISES, Dose, Exercise, Frequency, Level, get_exercise
from toelab.protocols.plan import (
    Plan,
    PlanItem,
    WeeklyAdherence,
    adherence_by_week,
    todays_exercises,
    weekly_adherence,
)

__all__ = [
    "BATTERY",
    "EXERCISES",
    "AssessmentTest",
    "Condition",
    "Dose",
    "Exercise",
    "Frequency",
    "Level",
    "Plan",
    "PlanItem",
    "WeeklyAdherence",
    "adherence_by_week",
    "get_exercise",
    "get_test",
    "todays_exercises",
    "weekly_adherence",
]
