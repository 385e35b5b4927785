"""One exception tree: user mistakes print one line; anything else is a bug with a traceback."""


class BriefgenError(Exception):
    """A problem the user can act on; the CLI prints it as one line, no traceback."""

    exit_code = 1


class ConfigError(BriefgenError):
    """Invalid settings in pyproject.toml or on the command line."""

    exit_code = 2


class DocumentError(BriefgenError):
    """An input document that cannot be read; it is named and skipped."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class TemplateError(BriefgenError):
    """A brief template that cannot be loaded or rendered, with its file and line."""

    def __init__(self, filename: str, lineno: int | None, message: str):
        self.filename = filename
        self.lineno = lineno
        where = f"{filename}:{lineno}" if lineno else filename
        super().__init__(f"{where}: {message}")


class UnknownTopicError(BriefgenError):
    """A TOPIC with no template."""

    exit_code = 2


class UnknownRegionError(BriefgenError):
    """A REGIONS entry that matches no region of the corpus."""

    exit_code = 2


class RenderError(BriefgenError):
    """The PDF could not be rendered (the HTML is kept)."""


class MailError(BriefgenError):
    """A message could not be built or sent."""
