"""Compiled templates, kept in the state folder between runs: the digest's (`FOLDER`) and the
pages a build or a digest writes from syndicate's own templates (`PAGES_FOLDER`: feeds.html,
digests/index.html).

Jinja2 compiles each template to Python on every run (tens of milliseconds for the digest's
four, a large share of a digest; 20-30 ms for the feeds page). Its `BytecodeCache` interface
lets the compiled code be kept; Jinja's own file cache stores a pickled checksum, so this one
writes marshal data only, with a header that must match exactly: the template source's
checksum (Jinja's), and a key for everything that shapes the compiled code besides the source
(Jinja's version, Python's, and syndicate's code, which sets the environment's options).
Anything else in the file means it is compiled again, and a file that cannot be written is
left to the next run.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

FOLDER = "digest-templates"
PAGES_FOLDER = "page-templates"


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self, state_dir: Path, folder: str = FOLDER) -> None:
        self.folder = state_dir / folder
        self.trouble: OSError | None = None  # the last write that failed

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = (self.folder / f"{bucket.key}.bin").read_bytes()
        except OSError:
            return
        header, _, code = data.partition(b"\n")
        if header != _header(bucket.checksum):
            return
        try:
            bucket.code = marshal.loads(code)
        except (ValueError, EOFError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        from ..output import atomic_write

        data = _header(bucket.checksum) + b"\n" + marshal.dumps(bucket.code)
        try:
            atomic_write(self.folder / f"{bucket.key}.bin", data, durable=False)
        except OSError as exc:
            self.trouble = exc


def _header(checksum: str) -> bytes:
    from ..incremental.cache import code_key

    key = repr((jinja2.__version__, sys.implementation.cache_tag, code_key(), checksum))
    return hashlib.sha256(key.encode()).hexdigest().encode()
