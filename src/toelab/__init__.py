"""toelab: assess, train and track toe function."""

from toelab.errors import ToelabError
from toelab.recording import Recording

__all__ = ["Recording", "ToelabError", "__version__"]
__version__ = "0.1.0"
