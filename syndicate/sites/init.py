"""`syndicate init`: a site folder -> a new `syndicate.toml` that names the site's generator and
holds only what its config cannot give, and what `init` found, for the CLI to print.

The generator's config is read at every build, never copied: the file written here names the
generator, hands the generator's own feed files over (`[output] adopt`) and says, in comments,
where every other setting comes from.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

from ..config import ALL_FORMATS, FeedFilenames
from ..datatype import datatype
from ..errors import ConfigError, OutputError, UsageError, some_of
from . import OWN_CONFIG, GeneratorName, SiteSettings, detect, generator

LABELS: dict[GeneratorName, str] = {"hugo": "Hugo", "jekyll": "Jekyll", "zola": "Zola"}
FILES_SHOWN = 6  # of the files a site's builds read: a site's every section page, say
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@datatype
class Created:
    """The config file `init` wrote, and the generator's settings it found (None: no
    generator's config, so a starter config was written)."""

    path: Path
    settings: SiteSettings | None


def init_site(folder: Path, environment: str = "production") -> Created:
    """Write `folder/syndicate.toml` for the site in `folder`. Never replaces a file: raises
    UsageError when one is there, ConfigError when the generator's config is unusable,
    OutputError when the file cannot be written."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder", "give the folder of your site")
    path = folder / OWN_CONFIG
    if os.path.lexists(path):
        raise UsageError(
            f"{path}: already exists; init never replaces a file",
            "edit it, or move it away and run `syndicate init` again",
        )
    _refuse_when_configured(folder)
    found = detect(folder)
    settings = generator(found[0]).read(folder, environment) if found else None
    if settings is not None and _dates_from_paths(settings):
        settings = dataclasses.replace(settings, notes=(DATE_FROM_PATH_NOTE, *settings.notes))
    text = generator_config(settings) if settings else starter_config()
    _write_new(path, text)
    return Created(path, settings)


def _refuse_when_configured(folder: Path) -> None:
    """A folder whose config.toml is syndicate's has its config: a syndicate.toml beside it
    would be read instead. Raises UsageError; ConfigError for a config.toml that cannot be
    read (which a build takes as syndicate's, to report why): a Hugo or Zola config with a
    typo is named with its line, not taken for syndicate's."""
    from ..config import CONFIG_NAMES, find_config, read_toml

    shared = folder / CONFIG_NAMES[1]
    if shared.is_file():
        try:
            found = find_config(folder)
        except ConfigError:
            return
        if found == shared:
            read_toml(shared, str(shared))
            raise UsageError(
                f"{shared}: this folder already has syndicate's config (a config.toml with a "
                "[site] table); init writes nothing",
                "edit that file; or rename it to syndicate.toml",
            )


# A Zola site whose pages give no `date` but a `path` holding the day, as blog.rust-lang.org's
# (its own feed template reads the day there): without this, Zola's rule leaves every one out.
DATE_FROM_PATH_NOTE = (
    "most pages have no `date` but a `path` holding the day (2024/03/01/slug), which a site's "
    "own templates may read: date_from_path = true, written under [site], dates them by it"
)
DATE_FROM_PATH_LINES = [
    "# Most pages give no `date` but a `path` holding the day (2024/03/01/slug): each such",
    "# page is dated by it (Zola's own feeds would leave them out).",
    "date_from_path = true",
]


def _dates_from_paths(settings: SiteSettings) -> bool:
    if settings.generator != "zola":
        return False
    from .zola.posts import dated_by_path

    dated, by_path = dated_by_path(settings.root / "content")
    return by_path > dated


def _write_new(path: Path, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never over another file
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{path}: already exists; init never replaces a file") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None


def generator_config(settings: SiteSettings) -> str:
    """The `syndicate.toml` of a generator's site: the generator's name, the hand-over of its
    feed files, and comments naming where everything else is read."""
    label = LABELS[settings.generator]
    files = some_of([_relative(f, settings.root) for f in settings.files], FILES_SHOWN)
    files = files or "its config"
    lines = [
        f"# syndicate's settings for this {label} site.",
        "# Base URL, title, language, time zone, sections, taxonomies and drafts are read from",
        f"# {files} at every build: change them there. A key set under [site]",
        "# here overrides the generator's value (e.g. title, timezone, output_dir).",
        "",
        "[site]",
        f"generator = {json.dumps(settings.generator)}",
        *(DATE_FROM_PATH_LINES if DATE_FROM_PATH_NOTE in settings.notes else []),
        "",
    ]
    if settings.addresses:
        lines += [
            f"# The addresses of {label}'s own feeds: syndicate writes the same feeds there,",
            "# with the same item ids, so their subscribers see no post again as new.",
            "[feeds.addresses]",
            *(f"{json.dumps(address)} = {_inline(entry)}" for address, entry in settings.addresses),
            "",
        ]
    lines += _renamed_own_feeds(settings, label)
    globs = adopt_globs(settings)
    if globs:
        lines += [
            f"# The feed files {label} writes into its output folder: syndicate may replace them",
            "# with its own feeds at the same addresses, and owns them from then on.",
            *(
                [f"# To stop {label} writing its own: {settings.feeds_off}"]
                * bool(settings.feeds_off)
            ),
            "[output]",
            f"adopt = [{', '.join(json.dumps(g) for g in globs)}]",
            "",
        ]
    return "\n".join(lines + DIGEST_HINT)


def adopt_globs(settings: SiteSettings) -> tuple[str, ...]:
    """The generator's feed files to hand over: those its config has it write, and those of
    every address written here (linkerd.io's blog, whose `_index.md` turns on its section's
    RSS as `feed.xml`, was refused on the first build)."""
    from ..output import Place

    globs = list(settings.feed_globs)
    for address, _ in settings.addresses:
        sample = _PLACEHOLDER.sub("x", address)
        if not Place(settings.root, adopt=tuple(globs)).adoptable(sample):
            globs.append(_PLACEHOLDER.sub(lambda m: "**" if m[1] == "section" else "*", address))
    return tuple(globs)


# The one setting a digest needs that no generator's config holds: who sends it.
DIGEST_HINT = [
    "# The digest email (`syndicate digest`, and the preview of `syndicate serve`) needs a",
    "# sender; see [digest] in the README for the rest.",
    "# [digest]",
    '# from = "Newsletter <newsletter@example.org>"',
    "",
]


# Another name for syndicate's own feeds of a format whose usual name an address takes (Zola's
# `atom.xml`): `.atom` and `.rss` are the media types' registered extensions.
OTHER_NAMES = {"rss": "feed.rss", "atom": "feed.atom", "json": "index.json"}


def _renamed_own_feeds(settings: SiteSettings, label: str) -> list[str]:
    """A `[feeds.filenames]` table when the generator's feed addresses use the names of
    syndicate's own feed files (which would then claim the same files)."""
    taken = {address.rsplit("/", 1)[-1] for address, _ in settings.addresses}
    taken.update(settings.other_feeds)
    usual = FeedFilenames()
    renamed = {f: OTHER_NAMES[f] for f in ALL_FORMATS if usual.for_format(f) in taken}
    if not renamed:
        return []
    kept = ", ".join(sorted(taken & {usual.for_format(f) for f in renamed}))
    return [
        f"# {label}'s feeds keep their names ({kept}); syndicate's own feeds of the same",
        "# format take another name.",
        "[feeds.filenames]",
        *(f"{fmt} = {json.dumps(name)}" for fmt, name in renamed.items()),
        "",
    ]


def _inline(entry: str) -> str:
    """A JSON object of an address's keys as a TOML inline table (its values are strings,
    integers and lists of strings, which JSON and TOML write alike)."""
    values = json.loads(entry)
    return "{ " + ", ".join(f"{key} = {json.dumps(v)}" for key, v in values.items()) + " }"


def starter_config() -> str:
    """A commented `syndicate.toml` for a folder of Markdown posts with no generator."""
    return "\n".join(
        [
            "# syndicate's settings. No Hugo, Jekyll or Zola config was found here: set the",
            "# two required keys below; every other key has a default (see the README).",
            "",
            "[site]",
            'title = "My site"                   # required',
            'base_url = "https://example.com/"   # required: where the site is published',
            '# content_dir = "content"           # the folder of the posts',
            '# output_dir = "public"             # where the feeds are written',
            '# timezone = "UTC"                  # for dates written without an offset',
            '# language = "en"',
            "",
            "[feeds]",
            '# formats = ["rss", "atom", "json"]',
            "# limit = 20",
            "",
        ]
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
