"""Compiled extraction: the per-document modules built with mypyc, the same modules as pure Python otherwise.

`make setup` runs `briefgen.native.build()`, which type-checks every module of the extract package
(briefgen/extract/, its `__init__` aside: MODULES is that folder's listing, so a module added there is
compiled with the rest) and compiles them into C extensions beside their sources: one shared library
(briefgen/extract/_native__mypyc*.so) and a small stub per module (briefgen/extract/facts*.so, ...). Python imports an extension before a .py of the same
name, so nothing else changes. Without a C compiler the build fails, says why, and briefgen runs the
same code as plain Python, about 1.6x slower (`make bench` reports which one it measured).

A compiled module must never run once its source has changed. `guard()`, called when the package is
imported, checks that every extension is newer than every source of the group; otherwise the whole
group is imported from source (compiled modules call each other directly in C, so the group is used
whole or not at all), with a warning. BRIEFGEN_PURE=1 asks for the sources too: for cProfile, which
does not see inside compiled functions, or to compare the two.

The data classes that leave the group (Fact, Passage, Region, ...: pickled into the store and to worker
processes, built field by field in hot loops, compared and hashed as dataclasses) stay ordinary Python
classes, marked `@mypyc_attr(native_class=False)`; the decorator does nothing when uncompiled.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "briefgen.extract"
PACKAGE_DIR = Path(__file__).resolve().parent / "extract"
# Everything extract_document runs per document; its __init__ only names the pipeline.
MODULES = tuple(sorted(p.stem for p in PACKAGE_DIR.glob("*.py") if p.stem != "__init__"))
GROUP = "_native__mypyc"


def _extension(name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if (PACKAGE_DIR / f"{name}{suffix}").is_file():
            return PACKAGE_DIR / f"{name}{suffix}"
    return None


def built() -> list[Path]:
    """The compiled files present (all of MODULES plus the group library, or fewer if a build broke)."""
    return [p for p in map(_extension, (*MODULES, GROUP)) if p is not None]


def stale_reason() -> str | None:
    """Why the compiled group must not be used, or None if it is complete and newer than its sources."""
    files = built()
    if len(files) < len(MODULES) + 1:
        return "the compiled extraction modules are incomplete"
    oldest = min(p.stat().st_mtime for p in files)
    newer = [m for m in MODULES if (PACKAGE_DIR / f"{m}.py").stat().st_mtime > oldest]
    if newer:
        return f"briefgen/extract/{newer[0]}.py changed after the extraction modules were compiled"
    return None


def in_use() -> bool:
    """Whether the extraction modules imported in this process are the compiled ones."""
    module = sys.modules.get(f"{PACKAGE}.facts") or importlib.import_module(f"{PACKAGE}.facts")
    return not str(getattr(module, "__file__", "")).endswith(".py")


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Imports the group's modules from their .py files, passing over the extensions beside them."""

    names = frozenset(f"{PACKAGE}.{m}" for m in MODULES)

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, PACKAGE_DIR / f"{fullname.rpartition('.')[2]}.py")


def guard() -> None:
    """Run the pure-Python modules when BRIEFGEN_PURE is set or the compiled ones are stale."""
    if not built() or any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        return
    pure = os.environ.get("BRIEFGEN_PURE", "") not in ("", "0")
    reason = None if pure else stale_reason()
    if pure or reason:
        sys.meta_path.insert(0, _SourceFirst())
    if reason:
        print(f"briefgen: {reason}; running them as plain Python (`make setup` compiles them again)",
              file=sys.stderr)


def _compile(work: Path) -> None:
    """Type-check and compile MODULES in place (mypyc and setuptools, run from the project root)."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    root = PACKAGE_DIR.parents[1]
    os.chdir(root)
    extensions = mypycify([f"briefgen/extract/{m}.py" for m in MODULES], group_name=f"{PACKAGE}._native",
                          target_dir=str(work / "c"))
    dist = Distribution({"name": "briefgen-native", "ext_modules": extensions})
    command = dist.get_command_obj("build_ext")
    command.inplace, command.build_temp, command.build_lib = True, str(work / "tmp"), str(work / "lib")
    dist.run_command("build_ext")


def build() -> int:
    """Compile the extraction modules; on failure remove partial output, say why, and return 1."""
    for p in built():
        p.unlink()
    with tempfile.TemporaryDirectory(prefix="briefgen-native-") as tmp:
        log = Path(tmp) / "build.log"
        with log.open("w") as out:
            # A child process: the compiler's chatter goes to the log, and a crash cannot take make down.
            proc = subprocess.run([sys.executable, "-c", f"from briefgen.native import _compile; "
                                   f"from pathlib import Path; _compile(Path({tmp!r}))"],
                                  stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "BRIEFGEN_PURE": "1"})
        if proc.returncode == 0 and not stale_reason():
            print(f"briefgen: compiled {len(MODULES)} extraction modules with mypyc")
            return 0
        for p in built():
            p.unlink()
        tail = "\n".join(log.read_text(errors="replace").strip().splitlines()[-12:])
        print(f"briefgen: could not compile the extraction modules (exit {proc.returncode}); briefgen runs "
              f"them as plain Python, which is slower. Last lines of the build:\n{tail}", file=sys.stderr)
        return 1
