"""The ``toelab`` command line: thin commands over :mod:`toelab.tasks`, :mod:`toelab.store`,
:mod:`toelab.report` and :mod:`toelab.web`, one module per group of commands."""

# the command modules register their commands on ``app`` when imported
from toelab.cli import admin, analyze, demo, people, points, protocol  # noqa: F401
from toelab.cli.app import app

__all__ = ["app"]
