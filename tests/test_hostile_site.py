"""One site holding every hostile content case at once, built and checked by the real program.

Each case has its own focused test elsewhere; this one proves they hold together: no internal
error, no traceback, every feed written is well-formed, and nothing outside the output and state
folders changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from .conftest import BASE_CONFIG
from .fresh_process import run_python

pytestmark = pytest.mark.slow

GOOD = "---\ntitle: Good\ndate: 2024-01-01\n---\nA good post.\n"

# name -> file text; every case of issue 14's list, then the bad inputs test_content covers alone
HOSTILE: dict[str, str] = {
    "posts/year-one.md": "---\ntitle: Early\ndate: 0001-01-01T00:00:00+05:00\n---\nx\n",
    "posts/year-max.md": "---\ntitle: Late\ndate: 9999-12-31T23:59:59-05:00\n---\nx\n",
    "posts/long-tag.md": f"---\ntitle: Long tag\ndate: 2024-01-02\ntags: [{'t' * 300}]\n---\nx\n",
    "posts/long-series.md": (
        f"---\ntitle: Long series\ndate: 2024-01-02\nseries: {'s' * 260}\n---\nx\n"
    ),
    "posts/long-link.md": f"---\ntitle: Long link\ndate: 2024-01-03\n---\n[a]({'x' * 300}.md)\n",
    "posts/many-tags.md": (
        "---\ntitle: Many tags\ndate: 2024-01-04\ntags: ["
        + ", ".join(f"tag{i}" for i in range(150))
        + "]\n---\nx\n"
    ),
    "posts/hostile-term.md": (
        '---\ntitle: "<script>alert(1)</script>"\ndate: 2024-01-05\n'
        'tags: ["<img src=x onerror=alert(7)>"]\ncategories: ["]]></description>"]\n---\n'
        "<script>alert(2)</script>\n"
    ),
    "posts/yaml.md": "---\ntitle: A\ndate: [unclosed\n---\nx\n",
    "posts/colon.md": "---\ntitle: Part 1: the start\ndate: 2024-01-01\n---\nx\n",
    "posts/toml.md": '+++\ntitle = "A"\ndate = \n+++\nx\n',
    "posts/json.md": '{\n"title": "A",\n"date": \n}\nx\n',
    "posts/notitle.md": "---\ndate: 2024-01-01\n---\nx\n",
    "posts/baddate.md": "---\ntitle: A\ndate: next tuesday\n---\nx\n",
    "posts/nosuchday.md": "---\ntitle: A\ndate: 2024-13-45\n---\nx\n",
    "posts/tagsmap.md": "---\ntitle: A\ndate: 2024-01-01\ntags:\n  a: b\n---\nx\n",
    "posts/empty.md": "  \n\n",
    "posts/unclosed.md": "---\ntitle: A\ndate: 2024-01-01\nbody without end\n",
    "posts/missing-image.md": (
        "---\ntitle: No image\ndate: 2024-01-06\nfeaturedImage: nowhere.jpg\n---\nx\n"
    ),
    "posts/outside-image.md": (
        "---\ntitle: Outside image\ndate: 2024-01-07\nfeaturedImage: ../../../outside.jpg\n---\nx\n"
    ),
}


def _hostile_site(root: Path) -> Path:
    site = root / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "config.toml").write_text(BASE_CONFIG, encoding="utf-8")
    (site / "content" / "posts" / "good.md").write_text(GOOD, encoding="utf-8")
    for name, text in HOSTILE.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    big = "---\ntitle: Big\ndate: 2024-01-08\n---\n" + ("word " * 80 + "\n\n") * 2700
    (site / "content" / "posts" / "big.md").write_text(big, encoding="utf-8")
    (site / "content" / "posts" / "latin1.md").write_bytes(
        "---\ntitle: A\ndate: 2024-01-01\n---\nCaf\xe9\n".encode("latin-1")
    )
    (site / "content" / "posts" / "binary.md").write_bytes(b"\x00\x01\x02\xff" * 64)
    os.mkfifo(site / "content" / "posts" / "fifo.md")
    (root / "outside.jpg").write_bytes(b"\xff\xd8" * 5000)
    (root / "secret.md").write_text("---\ntitle: Secret\ndate: 2024-01-09\n---\nsecret\n")
    (site / "content" / "posts" / "linked.md").symlink_to(root / "secret.md")
    (site / "content" / "posts" / "etc").symlink_to("/etc")
    return site


def _digest_of_tree(root: Path, skip: set[tuple[str, ...]]) -> dict[str, str]:
    """Every regular file under root, but the skipped top folders, by its content's hash."""
    seen: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[:2] in skip or path.is_symlink() or not path.is_file():
            continue
        seen[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


OWNED = {("site", "public"), ("site", ".syndicate")}


def _assert_well_formed(output: Path) -> int:
    count = 0
    for path in output.rglob("*"):
        if path.suffix in {".xml", ".xsl", ".opml"}:
            etree.parse(str(path))
            count += 1
        elif path.suffix == ".json":
            json.loads(path.read_bytes())
            count += 1
    return count


def _run(args: list[str], site: Path) -> subprocess.CompletedProcess[str]:
    """The real program, as cron runs it: a traceback would reach its stderr."""
    now = ["--now", "2024-11-20T12:00:00+00:00"]
    return run_python(["-m", "syndicate", *args, *now], site, timeout=300)


def test_a_hostile_site_builds_and_checks_without_a_crash(tmp_path: Path) -> None:
    site = _hostile_site(tmp_path)
    before = _digest_of_tree(tmp_path, skip=OWNED)
    outputs = []
    for args in (["check"], ["build"], ["check", "--verbose"], ["build", "--verbose"]):
        result = _run(args, site)
        outputs.append(result.stdout + result.stderr)
        assert result.returncode in {0, 1}, (args, result.returncode, outputs[-1])
    text = "\n".join(outputs)
    assert "Traceback" not in text
    assert "internal error" not in text
    assert _assert_well_formed(site / "public") > 10
    assert _digest_of_tree(tmp_path, skip=OWNED) == before
    feed = (site / "public" / "rss.xml").read_text(encoding="utf-8")
    assert "secret" not in feed, "a symlink outside the site is not published"
    assert 'length="10000"' not in feed, "a file outside the site gives no enclosure"
