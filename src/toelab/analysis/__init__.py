"""Pure analysis functions: numpy in, frozen dataclasses out."""
