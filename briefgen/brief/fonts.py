"""Fonts: the CJK font that ships with the project's own install (mplfonts), or a system one."""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

from briefgen.errors import ConfigError

_PACKAGED = ("NotoSansCJKsc-Regular.otf", "SourceHanSerifSC-Regular.otf")
_SYSTEM_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto",
                "/usr/share/fonts/opentype/source-han-sans", "/Library/Fonts",
                str(Path.home() / "Library/Fonts"))
_SYSTEM_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf")


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> Path:
    """Path of a Simplified-Chinese sans font: $BRIEFGEN_FONT, mplfonts' Noto, or a system Noto."""
    override = os.environ.get("BRIEFGEN_FONT")
    if override:
        if not Path(override).is_file():
            raise ConfigError(f"BRIEFGEN_FONT={override}: no such font file")
        return Path(override)
    try:
        fonts = resources.files("mplfonts").joinpath("fonts")
        for name in _PACKAGED:
            candidate = Path(str(fonts.joinpath(name)))
            if candidate.is_file():
                return candidate
    except ModuleNotFoundError:
        pass
    for d in _SYSTEM_DIRS:
        for name in _SYSTEM_NAMES:
            if (Path(d) / name).is_file():
                return Path(d) / name
    raise ConfigError("no CJK font found: reinstall with `make setup` (it installs mplfonts) "
                      "or set BRIEFGEN_FONT to a .otf/.ttf file")
