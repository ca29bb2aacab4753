"""The browser app: ``toelab serve`` — live biofeedback, guided tests and musical toes."""

from toelab.web.app import create_app

__all__ = ["create_app"]
