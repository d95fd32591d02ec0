"""The one exception family of the library; messages say where the problem is."""

from __future__ import annotations

import os


class GlossaryError(Exception):
    """A problem the user can fix; the CLI prints it on one line and exits with status 2."""

    def __init__(self, message: str, path: str | os.PathLike | None = None, line: int | None = None):
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def where(self) -> str:
        """``path:line: `` (or ``path: ``, or nothing) to put before a message."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "

    def __str__(self) -> str:
        return f"{self.where()}{self.message}"

    def diagnostic(self) -> str:
        """The one line the CLI prints: ``path:line: error: message``."""
        return f"{self.where()}error: {self.message}"


class TermFileError(GlossaryError):
    """A term file that cannot be read as a termbase."""


class InputError(GlossaryError):
    """A document, catalog or other input that cannot be read."""


class Finding:
    """One validation result, printed as ``path:line: level: message``."""

    __slots__ = ("path", "line", "level", "message")

    def __init__(self, path: str, line: int | None, level: str, message: str):
        self.path, self.line, self.level, self.message = path, line, level, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"

    def __repr__(self) -> str:
        return f"Finding({str(self)!r})"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "level": self.level, "message": self.message}
