"""Where the built-in configuration and frame catalogs live.

The repository's top-level ``configs/`` folder is the one source of truth.
A wheel ships it inside the package as ``framing/configs`` (setup.py maps the
package ``framing.configs`` to ``configs/``); a source checkout or an
editable install reads ``configs/`` beside the package.

>>> (configs_dir() / "default.yaml").is_file()
True
>>> "policy-frames.yaml" in sorted(p.name for p in (configs_dir() / "frames").glob("*.yaml"))
True
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

# Installed (wheel / sdist) first, then the source checkout the package was imported from.
_CANDIDATES = (_PACKAGE_DIR / "configs", _PACKAGE_DIR.parent / "configs")


def configs_dir() -> Path:
    """The folder holding ``default.yaml`` and ``frames/`` (the bundled catalogs).

    Returns the first candidate that holds a ``default.yaml``; when none does,
    the checkout's path, so that the error reading it names a real place.
    """
    for candidate in _CANDIDATES:
        if (candidate / "default.yaml").is_file():
            return candidate
    return _CANDIDATES[-1]
