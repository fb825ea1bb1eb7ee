"""Exit codes and the one exception type that stops a command."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of the output contract, named once."""

    OK = 0
    """No unwaived error finding (warnings allowed)."""
    FINDINGS = 1
    """At least one unwaived error finding; with --strict, also a warning."""
    FAILURE = 2
    """The command could not do its job: bad usage, a missing path, no loadable ledger."""


class LotiError(Exception):
    """A problem that stops a command; its message is for the user, never a traceback."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __reduce__(self) -> tuple[object, ...]:
        # Keeps the details when a worker process sends the error back.
        return (_rebuild, (type(self), self.message, self.details))


def _rebuild(cls: type[LotiError], message: str, details: tuple[str, ...]) -> LotiError:
    return cls(message, details=details)
