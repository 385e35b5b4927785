"""Settings: one frozen object from [tool.briefgen] in pyproject.toml and the command line."""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from dataclasses import dataclass, fields, replace
from pathlib import Path

from briefgen.errors import ConfigError

# The project folder of a clone (its seeds/, docs/, .cache/): only the developer tools use it.
PROJECT_DIR = Path(__file__).resolve().parents[1]
# The built-in templates: package data, from a clone's templates/ folder or inside an installed wheel.
BUILTIN_TEMPLATES = Path(str(resources.files("briefgen.templates"))).resolve()


@dataclass(frozen=True)
class Settings:
    """Where inputs, outputs and templates are, and the per-file size limit."""

    input: tuple[Path, ...] = (Path("seeds"),)
    output: Path = Path("output")
    templates: tuple[Path, ...] = ()
    max_file_mb: float = 50.0
    cache: Path = Path(".cache/briefgen")

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """User template folders first, the built-in ones last (first match wins)."""
        user = tuple(p for p in self.templates if p.resolve() != BUILTIN_TEMPLATES)
        extra = tuple(Path(p) for p in os.environ.get("BRIEFGEN_TEMPLATES", "").split(os.pathsep) if p)
        return extra + user + (BUILTIN_TEMPLATES,)

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 2**20)


def load_settings(pyproject: Path | None = None, **overrides) -> Settings:
    """Settings from pyproject.toml's [tool.briefgen], then overrides; all problems reported together."""
    path = pyproject or Path("pyproject.toml")
    raw: dict = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text("utf-8")).get("tool", {}).get("briefgen", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    known = {f.name for f in fields(Settings)}
    problems = [f"unknown key '{k}'" for k in raw if k not in known]
    values: dict = {}
    for key, value in {**raw, **{k: v for k, v in overrides.items() if v is not None}}.items():
        if key not in known:
            continue
        if key in ("input", "templates"):
            value = [value] if isinstance(value, (str, Path)) else value
            values[key] = tuple(Path(v) for v in value)
        elif key in ("output", "cache"):
            values[key] = Path(value)
        elif key == "max_file_mb":
            if not isinstance(value, (int, float)) or value <= 0:
                problems.append(f"max_file_mb must be a positive number, not {value!r}")
                continue
            values[key] = float(value)
    if problems:
        raise ConfigError(f"{path} [tool.briefgen]: " + "; ".join(problems))
    return replace(Settings(), **values)
