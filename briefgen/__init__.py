"""briefgen: comparative, fully sourced thematic briefs from Chinese work reports."""

__version__ = "0.1.0"
