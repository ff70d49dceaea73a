"""Check feed files with the W3C Feed Validation Service's own code, offline.

    git clone https://github.com/w3c/feedvalidator /tmp/feedvalidator
    python bench/validate_feeds.py /tmp/feedvalidator https://example.org/ public/rss.xml ...

Prints each file with what the validator logs (errors and warnings) and a count; exits 1 when
any file has one. Needs html5lib and rdflib (the test extra has both). The first argument is a
work tree of https://github.com/w3c/feedvalidator; each file's URL is the base URL joined with
its path below the folder that holds every file given (the output folder, when one of them is
at its top), so relative links resolve as published, whichever file comes first.
"""

from __future__ import annotations

import io
import os
import sys
from urllib.parse import quote


def main(argv: list[str]) -> int:
    checkout, base, *files = argv
    sys.path.insert(0, os.path.join(checkout, "src"))
    import feedvalidator  # type: ignore[import-not-found]
    from feedvalidator import compatibility
    from feedvalidator.formatter.text_plain import Formatter  # type: ignore[import-not-found]

    folders = [os.path.dirname(os.path.abspath(path)) for path in files]
    root = os.path.commonpath(folders) if folders else "."
    flagged = 0
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        # As published: a folder named by a term in another script (`tags/隐私/`) is
        # percent-encoded in the URL, which the validator's URI code needs.
        url = base + quote(os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/"))
        result = feedvalidator.validateStream(io.BytesIO(data), firstOccurrenceOnly=1, base=url)
        events = compatibility.AA(result["loggedEvents"])
        if events:
            flagged += 1
            print(path)
            for line in Formatter(events):
                print("   ", line)
    print(f"{len(files)} feeds, {flagged} with errors or warnings")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
