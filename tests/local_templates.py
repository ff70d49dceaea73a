"""The built-in email templates of the tree under test.

The editable install maps `syndicate.email_templates` to the checkout it was made from, so a
tree imported through PYTHONPATH would render its digests from another tree's templates.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from .conftest import REPO


def templates_module() -> ModuleType:
    """This tree's `syndicate.email_templates`, loaded from its own folder."""
    here = REPO / "email_templates"
    spec = importlib.util.spec_from_file_location(
        "syndicate.email_templates", here / "__init__.py", submodule_search_locations=[str(here)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def this_trees_templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(sys.modules, "syndicate.email_templates", templates_module())
    yield
