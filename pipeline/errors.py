"""What went wrong, by whose doing: the classes the command line turns into exit statuses.

0  success
1  the command ran, but some inputs failed, the graph does not conform, a server refused,
   or the output folder is busy or inconsistent (:class:`Failure`, and OSError)
2  usage error: a bad option or parameter, a file given on the command line that does not
   exist or cannot be read (:class:`UsageProblem`)
3  internal error: anything else, a bug (``--debug`` shows the traceback)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class UsageProblem(ValueError):
    """The command is wrong, not the data it works on: exit status 2."""


class Failure(RuntimeError):
    """An expected failure that one line explains (no traceback): exit status 1."""
