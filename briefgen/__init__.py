"""briefgen: comparative, fully sourced thematic briefs from Chinese work reports."""

__version__ = "0.1.0"

from briefgen import native as _native

# The compiled extraction modules only while they are newer than their sources (briefgen/native.py).
_native.guard()
