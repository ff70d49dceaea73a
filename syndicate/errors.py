"""Problems found in the user's input, the exceptions the library raises, and the exit codes.

Exception tree (`EXIT_CODE_OF` below is the one place that gives each its exit code)::

    SyndicateError                 base of everything raised on purpose (exit code 1)
    ├── UsageError                 a command-line value cannot be used (exit code 2)
    ├── ConfigError                the configuration cannot be used (exit code 2)
    ├── TemplateError              an email template is missing or broken (exit code 2)
    ├── ContentError               content cannot be used (exit code 1)
    ├── RefusedError               a build refused to replace or touch files (exit code 1)
    ├── OutputError                the output or state folder cannot be written (exit code 6)
    └── DeliveryError              a digest was not delivered; a person must look (exit code 4)
        ├── RetryLaterError        not delivered, nothing lost: run again later (exit code 3)
        ├── LedgerError            the ledger cannot be trusted; nothing is sent (exit code 4)
        ├── LockedError            another run holds the lock (exit code 5)
        └── TransportError         one request of a transport failed (exit code 4)
            ├── TransientError     may succeed if tried again (exit code 3)
            ├── PermanentError     will fail the same way again (exit code 4)
            └── CannotVerify       a transport cannot look a send up (exit code 4)

Transports (`delivery`) raise the three kinds of `TransportError`; `delivery.run` retries
the transient ones and turns what is left into the kinds above it, with what to do next.

`EXIT_CODES` is the one table of exit codes: the command line's `--help`, its error handling
and the README all read it. The library never prints: it raises these, or collects `Problem`s
in a `Report`, and only the command line turns them into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from .datatype import datatype

Severity = Literal["error", "warning"]

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_RETRY = 3
EXIT_NEEDS_PERSON = 4
EXIT_LOCKED = 5
EXIT_OUTPUT = 6
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in syndicate, never a problem in the input
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_CONTENT: (
        "content problems (`check`, `build --strict`), or a build or `new` refusing to "
        "replace files"
    ),
    EXIT_USAGE: "usage or configuration error",
    EXIT_RETRY: "delivery failed; safe to run again",
    EXIT_NEEDS_PERSON: "delivery needs a person (includes an unreadable ledger)",
    EXIT_LOCKED: "another run holds the lock",
    EXIT_OUTPUT: "the output or state folder cannot be written (disk full, read-only, permissions)",
    EXIT_INTERNAL: "a bug in syndicate",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C); what was written is whole, as after a failed run",
}


def exit_code_help() -> str:
    """The exit-code table as lines for `--help`."""
    return "\n".join(f"{code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())


def kind_of(value: object, mapping: str = "a mapping") -> str:
    """How a message names a value of the wrong type (`mapping`: "a table" where the file is
    TOML)."""
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dict):
        return mapping
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, datetime | date):
        return f"the date {value.isoformat()}"
    return f"{type(value).__name__} {value!r}"


def counted(count: int, noun: str) -> str:
    """`1 post`, `2 posts`, `1,024 posts`: how every message counts things."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def some_of(names: Sequence[str], shown: int) -> str:
    """The first `shown` of `names`, and how many more: how a message lists many files."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


@datatype
class Location:
    """A place in a file the user wrote; `line` is 1-based, when known."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@datatype
class Problem:
    severity: Severity
    location: Location | None
    message: str
    hint: str | None = None
    # An error in a post that is published all the same (a missing `ref` target, a broken
    # shortcode): `build` reports it without skipping the post; `--strict` still fails.
    kept: bool = False

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@datatype(frozen=False)
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

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    @property
    def exit_code(self) -> int:
        return exit_code_of(self)

    def told(self) -> list[tuple[str, str | None]]:
        """Each line the command line prints, with its hint."""
        return [(self.message, self.hint)]


class UsageError(SyndicateError):
    """A command-line value cannot be used; the message names the option."""


class ConfigError(SyndicateError):
    """The configuration cannot be used; `problems` lists every reason at once. `hint` is
    for each of them, unless `hints` gives a problem one of its own."""

    def __init__(
        self,
        message: str,
        problems: list[str] | None = None,
        hint: str | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.problems = problems or [message]
        self.hints = dict(hints or {})

    def told(self) -> list[tuple[str, str | None]]:
        return [(line, self.hints.get(line, self.hint)) for line in self.problems]


class ContentError(SyndicateError):
    """Content cannot be used (with `--strict`, any broken post)."""


class RefusedError(SyndicateError):
    """A build stopped before writing anything, to protect files or published feeds."""


class OutputError(SyndicateError):
    """A file could not be written or replaced: disk full, read-only folder, permissions."""


class TemplateError(SyndicateError):
    """A template is missing or does not compile; the message names it and the line."""


class DeliveryError(SyndicateError):
    """A digest was not delivered, and running again would not help before a person looks:
    a send failed for good, or may have arrived without a way to tell."""


class RetryLaterError(DeliveryError):
    """A digest was not delivered, and nothing is lost: the same command may run again."""


class LedgerError(DeliveryError):
    """The ledger is unreadable, truncated, corrupt or of an unknown schema: nothing is sent."""


class LockedError(DeliveryError):
    """Another run holds the lock."""


class TransportError(DeliveryError):
    """One request a transport made failed; `http_status` when the server answered."""

    def __init__(
        self, message: str, http_status: int | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint)
        self.http_status = http_status


class TransientError(TransportError):
    """May succeed if tried again (connection, timeout, 408, 429, 5xx). `ambiguous` when the
    request may have reached the server; `retry_after` in seconds, when the server said;
    `this_message` when the server refused this one message for now (an SMTP 451 to one
    reader: over quota, greylisted), not every request (it is down): a run goes on with the
    others."""

    def __init__(
        self,
        message: str,
        http_status: int | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
        this_message: bool = False,
    ) -> None:
        super().__init__(message, http_status)
        self.retry_after = retry_after
        self.ambiguous = ambiguous
        self.this_message = this_message


class PermanentError(TransportError):
    """Will fail the same way again (bad key, unverified sender, other 4xx)."""


class CannotVerify(TransportError):
    """A transport cannot look a send up."""


# The one place each kind of error gets its exit code. Every class above is listed (a test
# walks the tree), so a new kind is a decision, not an inherited accident.
EXIT_CODE_OF: dict[type[SyndicateError], int] = {
    SyndicateError: EXIT_CONTENT,
    UsageError: EXIT_USAGE,
    ConfigError: EXIT_USAGE,
    TemplateError: EXIT_USAGE,
    ContentError: EXIT_CONTENT,
    RefusedError: EXIT_CONTENT,
    OutputError: EXIT_OUTPUT,
    DeliveryError: EXIT_NEEDS_PERSON,
    RetryLaterError: EXIT_RETRY,
    LedgerError: EXIT_NEEDS_PERSON,
    LockedError: EXIT_LOCKED,
    TransportError: EXIT_NEEDS_PERSON,
    TransientError: EXIT_RETRY,
    PermanentError: EXIT_NEEDS_PERSON,
    CannotVerify: EXIT_NEEDS_PERSON,
}


def exit_code_of(error: SyndicateError) -> int:
    """The exit code of `error`'s kind: its class's, or its nearest listed ancestor's."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODE_OF:
            return EXIT_CODE_OF[cls]
    raise AssertionError("SyndicateError is in EXIT_CODE_OF")  # pragma: no cover
