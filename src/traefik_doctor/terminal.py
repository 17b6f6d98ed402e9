"""What the terminal the report goes to can show."""

from __future__ import annotations

import os
import sys


def use_color(mode: str) -> bool:
    """``--color always|never|auto``: auto colours only a terminal, and never under NO_COLOR
    (https://no-color.org)."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
