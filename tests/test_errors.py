"""The one exception tree: every kind has an exit code from the one table, and the tree drawn in
errors.py's docstring is the tree of classes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from syndicate import errors
from syndicate.build import choose_period, load_site
from syndicate.delivery import base
from syndicate.errors import (
    EXIT_CODE_OF,
    EXIT_CODES,
    EXIT_USAGE,
    DeliveryError,
    SyndicateError,
    TransientError,
    UsageError,
    exit_code_of,
)

from .conftest import NOW, SiteDir, aware


def _tree() -> list[type[SyndicateError]]:
    """Every class of the tree defined in syndicate.errors, walked from its root."""
    found: list[type[SyndicateError]] = []
    todo = [SyndicateError]
    while todo:
        cls = todo.pop()
        if cls.__module__ == errors.__name__:
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _drawn() -> dict[str, tuple[str | None, int]]:
    """The docstring's tree: each class's parent and exit code, from the box drawing."""
    assert errors.__doc__ is not None
    drawing = errors.__doc__.split("::\n\n", 1)[1].split("\n\n", 1)[0]
    parents: list[str] = []
    drawn: dict[str, tuple[str | None, int]] = {}
    for line in drawing.splitlines():
        match = re.match(r"^ {4}((?:[│ ] {3})*)(?:[├└]── )?(\w+) .*\(exit code (\d+)\)$", line)
        assert match, f"cannot read the drawn tree's line {line!r}"
        depth = len(match.group(1)) // 4 + (1 if "──" in line else 0)
        del parents[depth:]
        drawn[match.group(2)] = (parents[-1] if parents else None, int(match.group(3)))
        parents.append(match.group(2))
    return drawn


def test_every_kind_of_error_has_its_own_exit_code_from_the_one_table() -> None:
    for cls in _tree():
        assert cls in EXIT_CODE_OF, f"{cls.__name__} has no exit code of its own"
        assert EXIT_CODE_OF[cls] in EXIT_CODES, f"{cls.__name__}: {EXIT_CODE_OF[cls]}"
    assert set(EXIT_CODE_OF) == set(_tree())


def test_the_tree_drawn_in_the_docstring_is_the_tree_of_classes() -> None:
    drawn = _drawn()
    assert set(drawn) == {cls.__name__ for cls in _tree()}
    for cls in _tree():
        parent = None if cls is SyndicateError else cls.__bases__[0].__name__
        assert drawn[cls.__name__] == (parent, EXIT_CODE_OF[cls]), cls.__name__


def test_transport_errors_are_syndicate_errors() -> None:
    """What a transport raises reaches the command line as one of the tree's kinds."""
    for cls in (base.TransportError, base.TransientError, base.PermanentError, base.CannotVerify):
        assert issubclass(cls, DeliveryError)
    assert TransientError("timed out").exit_code == 3
    assert base.PermanentError("bad key", 401).exit_code == 4


@pytest.mark.parametrize("cls", _tree())
def test_an_error_reports_its_kinds_exit_code(cls: type[SyndicateError]) -> None:
    error = cls.__new__(cls)  # some take more than a message; the code is the class's
    assert error.exit_code == exit_code_of(error) == EXIT_CODE_OF[cls]


def test_a_kind_not_in_the_table_takes_its_nearest_listed_ancestors_code() -> None:
    class Unlisted(TransientError):
        pass

    assert Unlisted("x").exit_code == EXIT_CODE_OF[TransientError]


# --- no bare ValueError naming a flag leaves the library ----------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"until": "2024-11-01"}, "--until needs --since"),
        ({"since": "last tuesday"}, "--since: cannot read 'last tuesday' as a date"),
        ({"since": "2024-11-01", "until": "soon"}, "--until: cannot read 'soon' as a date"),
    ],
)
def test_a_period_option_that_cannot_be_used_is_a_usage_error(
    site: SiteDir, kwargs: dict[str, str], named: str
) -> None:
    config = site.load_config()
    with pytest.raises(UsageError) as caught:
        choose_period(config, aware(NOW), **kwargs)
    assert caught.value.message.startswith(named)
    assert caught.value.exit_code == EXIT_USAGE


def test_an_unreadable_source_date_epoch_is_a_usage_error_naming_it(site: SiteDir) -> None:
    config = site.load_config()
    with pytest.raises(UsageError) as caught:
        load_site(config, None, {"SOURCE_DATE_EPOCH": "yesterday"})
    assert "SOURCE_DATE_EPOCH='yesterday'" in caught.value.message
    assert "--now" not in caught.value.message
    with pytest.raises(UsageError, match=r"^--now: cannot read 'soon'"):
        load_site(config, "soon", {})


def test_no_flag_name_leaves_the_library_in_a_bare_value_error() -> None:
    """Every `raise ValueError` in the package names no command-line option: those are
    UsageErrors, which the command line reports as such."""
    offenders = []
    for path in Path(errors.__file__).parent.rglob("*.py"):
        if path.name == "cli.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "ValueError(" in line and re.search(r"--[a-z]", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
