"""Tool errors: problems with how the tool was called, not with the user's configuration.

A broken user file is a finding (CFG001), never an exception. These exceptions end the run
with exit code 2 and one sentence on stderr:

    ToolError
    ├── UsageError      bad arguments or settings
    └── InputError      a path that cannot be read at all
"""

from __future__ import annotations


class ToolError(Exception):
    """The run cannot continue; the message is the one sentence shown to the user."""


class UsageError(ToolError):
    """The command line or the tool's own settings are wrong."""


class InputError(ToolError):
    """An input the user named cannot be read."""
