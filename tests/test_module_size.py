"""No module of the package grows past 400 lines (shared/DESIGN.md: a longer one is asking to be split)."""

from pathlib import Path

import framing

LIMIT = 400


def test_no_module_is_over_400_lines():
    root = Path(framing.__file__).parent
    long = {str(p.relative_to(root)): n for p in root.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT}
    assert not long, f"Split these modules (over {LIMIT} lines): {long}"
