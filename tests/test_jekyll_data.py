"""`site.data` of a Jekyll site (`syndicate.sites.jekyll.data`): which files, under which keys,
and what a file that cannot be parsed gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate.sites.jekyll.data import DataFolder, data_files, key_of, parse

from .conftest import examples


def make(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root / "_data"


def test_keys_are_jekylls_sanitized_names() -> None:
    # jekyll/readers/data_reader.rb, sanitize_filename: runs of spaces become "_", other
    # characters but word characters, spaces and "-" go
    assert key_of("core members") == "core_members"
    assert key_of("releases") == "releases"
    assert key_of("a.b+c (d)") == "abc_d"
    assert key_of("dash-ed") == "dash-ed"


def test_the_folder_is_read_as_jekyll_reads_it(tmp_path: Path) -> None:
    folder = make(
        tmp_path,
        {
            "_data/a.json": '{"from": "json"}',
            "_data/a.yml": "from: yml\n",  # sorted after a.json: it is the one read last
            "_data/rows.tsv": "k\tv\nx\t1\n",
            "_data/sub/deeper/n.yaml": "- 1\n- 2\n",
            "_data/.git/config.yml": "no: 1\n",
            "_data/notes.txt": "not data\n",
        },
    )
    files = data_files(folder, tmp_path)
    assert [f.relative_to(folder).as_posix() for f in files] == [
        "a.json",
        "a.yml",
        "rows.tsv",
        "sub/deeper/n.yaml",
    ]
    data = DataFolder(folder, files)
    assert sorted(data) == ["a", "rows", "sub"]
    assert data["a"] == {"from": "yml"}
    assert data["rows"] == [{"k": "x", "v": "1"}]
    assert data["sub"]["deeper"]["n"] == [1, 2]
    assert data.failures() == []


def test_a_file_outside_the_site_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text("secret: 1\n")
    folder = make(tmp_path / "site", {"_data/here.yml": "a: 1\n"})
    os.symlink(outside, folder / "there.yml")
    os.symlink(folder, folder / "loop")  # a folder linked into itself is not entered
    assert [f.name for f in data_files(folder, tmp_path / "site")] == ["here.yml"]


def test_a_file_that_cannot_be_parsed_is_none_and_named(tmp_path: Path) -> None:
    folder = make(tmp_path, {"_data/bad.json": '{"a": ', "_data/dir/bad.yml": "a: [1\n"})
    data = DataFolder(folder, data_files(folder, tmp_path))
    assert data["bad"] is None and data["dir"]["bad"] is None
    assert [name for name, _ in data.failures()] == ["site.data.bad", "site.data.dir.bad"]
    assert data.failures()[1][1].startswith("bad.yml: invalid YAML at line 2")


@pytest.mark.parametrize("suffix", [".yml", ".json", ".csv", ".tsv"])
@given(text=st.text(max_size=60))
@settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # one file, rewritten each time
)
def test_any_text_parses_or_says_why(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        parse(path)
    except ValueError as exc:
        assert str(exc)
