"""Documents: read input files of any supported format into text (thin first version)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from briefgen.errors import DocumentError

SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Document:
    """One input file as text; every fact quote is a substring of `text`."""

    path: Path
    name: str
    format: str
    encoding: str | None
    text: str
    sha256: str


@dataclass(frozen=True)
class Failure:
    """An input file that was skipped, with the reason."""

    path: Path
    reason: str


def list_input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of candidate files."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            found.append(p)
    return found


def read_document(path: Path) -> Document:
    """Read one file; raise DocumentError with a reason a user can act on."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise DocumentError(path, f"unsupported file type '{path.suffix}'")
    raw = path.read_bytes()
    if not raw.strip():
        raise DocumentError(path, "empty file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"cannot decode text ({exc.reason})") from None
    return Document(path, path.name, path.suffix.lower().lstrip("."), "utf-8", text,
                    hashlib.sha256(raw).hexdigest())


def read_documents(paths: Iterable[str | Path]) -> tuple[list[Document], list[Failure]]:
    """Read every input file; broken ones are collected as failures, never fatal."""
    docs: list[Document] = []
    failures: list[Failure] = []
    for path in list_input_files(paths):
        try:
            docs.append(read_document(path))
        except DocumentError as exc:
            failures.append(Failure(path, exc.reason))
    return docs, failures
