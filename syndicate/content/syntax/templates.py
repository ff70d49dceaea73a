"""The site's own shortcodes: Jinja2 templates `<shortcodes_dir>/NAME.html`, which add
shortcodes or override built-in ones.

Templates run sandboxed and autoescaped: a parameter is escaped where it is printed, `inner`
(already rendered) is not. Their output is sanitized with the rest of the post, so no template
can add a script.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Jinja2 takes 20-40 ms to import: only a site that has templates needs it
    from jinja2.sandbox import SandboxedEnvironment

SUFFIX = ".html"


class TemplateProblem(Exception):
    """A shortcode template that cannot be read or run; `message` names its file and line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def listing(folder: Path) -> list[tuple[str, str]]:
    """Every template file below `folder` and the hash of its bytes, sorted: part of the build
    cache's key, so that editing a template changes the next build's output."""
    found: list[tuple[str, str]] = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = b""
            found.append((os.path.relpath(path, folder), hashlib.sha256(data).hexdigest()))
    return found


class Shortcodes:
    """The templates of one folder (which need not exist), loaded when first used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names = self._find(folder)
        self._env: SandboxedEnvironment | None = None

    @staticmethod
    def _find(folder: Path) -> frozenset[str]:
        if not folder.is_dir():
            return frozenset()
        names = set()
        for root, _, files in os.walk(folder):
            for name in files:
                if name.endswith(SUFFIX):
                    rel = os.path.relpath(os.path.join(root, name), folder)
                    names.add(rel[: -len(SUFFIX)].replace(os.sep, "/"))
        return frozenset(names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __reduce__(self) -> tuple[type[Shortcodes], tuple[Path]]:
        return (Shortcodes, (self.folder,))  # workers load their own templates

    def render(self, name: str, variables: Mapping[str, Any]) -> str:
        """Run the template of `name`. Raises TemplateProblem."""
        from jinja2 import FileSystemLoader, TemplateError, TemplateNotFound, TemplateSyntaxError
        from jinja2.sandbox import SandboxedEnvironment

        if self._env is None:
            loader = FileSystemLoader(str(self.folder))
            # A missing value prints nothing, as in Hugo's and Zola's templates (not "None").
            self._env = SandboxedEnvironment(loader=loader, autoescape=True, finalize=_blank)
        file = f"{name}{SUFFIX}"
        try:
            return self._env.get_template(file).render(variables)
        except TemplateSyntaxError as exc:
            raise TemplateProblem(f"{self.folder / file}:{exc.lineno}: {exc.message}") from None
        except TemplateNotFound:
            raise TemplateProblem(f"{self.folder / file}: cannot be read") from None
        except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
            raise TemplateProblem(f"{self.folder / file}: {exc}") from None


def _blank(value: Any) -> Any:
    return "" if value is None else value
