"""A content file's front matter, as Zola splits it from the body
(components/content/src/front_matter/split.rs at
getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9): read where the config needs a section's
settings (`draft`, `generate_feeds`, `transparent`) and a page's before the loader reads it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from ...content.fastyaml import Loader12


def front_matter(path: Path) -> dict[str, Any]:
    """A content file's TOML (`+++`) or YAML (`---`) front matter, as Zola splits it
    (components/content/src/front_matter/split.rs); empty when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        found = _FRONT_MATTER.match(text)
        if found is None:
            return {}
        toml = found.group("toml")
        if toml is not None:
            meta = tomllib.loads(toml)
        else:
            meta = yaml.load(found.group("yaml"), Loader=Loader12)  # YAML 1.2, as serde_yaml
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


_FRONT_MATTER = re.compile(
    r"\A\s*(?:\+\+\+(?P<toml>\r?\n.*?)\+\+\+|---(?P<yaml>\r?\n.*?)---)[ \t]*(?:\r?\n|\Z)", re.S
)
