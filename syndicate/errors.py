"""Problems found in the user's input, the exceptions the library raises, and the exit codes.

Exception tree::

    SyndicateError                 base of everything raised on purpose
    ├── UsageError                 a command-line value cannot be used (exit code 2)
    ├── ConfigError                the configuration cannot be used (exit code 2)
    ├── TemplateError              an email template is missing or broken (exit code 2)
    ├── ContentError               content cannot be used (exit code 1)
    ├── RefusedError               a build refused to replace or touch files (exit code 1)
    ├── OutputError                the output or state folder cannot be written (exit code 6)
    └── DeliveryError              a send did not happen (exit codes 3, 4, 5)
        ├── LedgerError            the ledger cannot be trusted; a person must look (exit code 4)
        └── LockedError            another run holds the lock (exit code 5)

`EXIT_CODES` is the one table of exit codes: the command line's `--help`, its error handling
and the README all read it. The library never prints: it raises these, or collects `Problem`s
in a `Report`, and only the command line turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_RETRY = 3
EXIT_NEEDS_PERSON = 4
EXIT_LOCKED = 5
EXIT_OUTPUT = 6
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in syndicate, never a problem in the input

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_CONTENT: "content problems (with --strict), or a build that refused to replace files",
    EXIT_USAGE: "usage or configuration error",
    EXIT_RETRY: "delivery failed; safe to run again",
    EXIT_NEEDS_PERSON: "delivery needs a person (includes an unreadable ledger)",
    EXIT_LOCKED: "another run holds the lock",
    EXIT_OUTPUT: "the output or state folder cannot be written (disk full, read-only, permissions)",
    EXIT_INTERNAL: "a bug in syndicate",
}


def exit_code_help() -> str:
    """The exit-code table as lines for `--help`."""
    return "\n".join(f"{code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file the user wrote; `line` is 1-based, when known."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    location: Location | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass(slots=True)
class Report:
    """Problems collected during one run, reported together at the end."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, where: Location | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem("error", where, message, hint))

    def warning(self, where: Location | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem("warning", where, message, hint))

    def extend(self, other: Report) -> None:
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class SyndicateError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = EXIT_CONTENT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SyndicateError):
    """A command-line value cannot be used; the message names the option."""

    exit_code = EXIT_USAGE


class ConfigError(SyndicateError):
    """The configuration cannot be used; `problems` lists every reason at once."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class ContentError(SyndicateError):
    """Content cannot be used (with `--strict`, any broken post)."""

    exit_code = EXIT_CONTENT


class RefusedError(SyndicateError):
    """A build stopped before writing anything, to protect files or published feeds."""

    exit_code = EXIT_CONTENT


class OutputError(SyndicateError):
    """A file could not be written or replaced: disk full, read-only folder, permissions."""

    exit_code = EXIT_OUTPUT


class TemplateError(SyndicateError):
    """A template is missing or does not compile; the message names it and the line."""

    exit_code = EXIT_USAGE


class DeliveryError(SyndicateError):
    """A digest was not delivered. `exit_code` tells scripts whether running again is safe."""

    def __init__(self, message: str, exit_code: int, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.exit_code = exit_code


class LedgerError(DeliveryError):
    """The ledger is unreadable, truncated, corrupt or of an unknown schema: nothing is sent."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, EXIT_NEEDS_PERSON, hint)


class LockedError(DeliveryError):
    """Another run holds the lock."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, EXIT_LOCKED, hint)
