"""Outputs: atomic writes, so an interrupted run never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(path: str | Path, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds.

    `durable=False` skips the fsync: for cache entries, which a reader that finds them empty or
    truncated after a crash treats as missing. The fsync is most of the cost of a small write.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file private; outputs get the usual permissions of a new file.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)
    try:
        yield tmp_path
        if durable:  # fsync before the rename so a crash cannot leave a renamed but empty file
            with open(tmp_path, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_atomic(path: str | Path, data: bytes | str, durable: bool = True) -> Path:
    """Write bytes or UTF-8 text to path atomically (see atomic_path for `durable`)."""
    with atomic_path(path, durable) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
    return Path(path)
