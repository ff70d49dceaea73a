"""Problems found in the user's input, and the exceptions the library raises.

Exception tree::

    SyndicateError                 base of everything raised on purpose
    ├── ConfigError                config.toml cannot be used (exit code 2)
    ├── ContentError               content cannot be used (exit code 1)
    ├── TemplateError              an email template is missing or broken (exit code 2)
    └── DeliveryError              a send did not happen (exit codes 3, 4, 5)

The library never prints: it raises these, or collects `Problem`s in a `Report`, and only the
command line turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2


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


class ConfigError(SyndicateError):
    """The configuration cannot be used; `problems` lists every reason at once."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class ContentError(SyndicateError):
    """Content cannot be used (with `--strict`, any broken post)."""

    exit_code = EXIT_CONTENT


class TemplateError(SyndicateError):
    """A template is missing or does not compile; the message names it and the line."""

    exit_code = EXIT_USAGE


class DeliveryError(SyndicateError):
    """A digest was not delivered. `exit_code` tells scripts whether running again is safe."""

    def __init__(self, message: str, exit_code: int, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.exit_code = exit_code
