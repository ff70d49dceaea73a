"""kramdown's footnotes, for Jekyll sites: the ids and back-links Jekyll's pages have.

mistune numbers a footnote's anchors (`#fn-1`, `#fnref-1`); kramdown names them after the
footnote (`#fn:1`, `#fn:note`), gives each further reference to one its own id
(`fnref:1:1`) and the note a back-link to each (`↩ ↩2 ↩3`). A feed's links are made absolute
against the post's page, where only kramdown's ids are: a footnote link then lands on its
note (kramdown 2.4's converter/html.rb, `convert_footnote` and `footnote_content`).
"""

from __future__ import annotations

from html import escape
from typing import Any


def kramdown_footnotes(md: Any) -> None:
    """A mistune plugin (after its `footnotes`): kramdown's footnote markup."""
    counts: dict[str, int] = {}  # references so far to each note, in the document rendered

    def reset(md: Any, state: Any) -> None:
        counts.clear()

    def ref(renderer: Any, key: str, index: int) -> str:
        seen = counts.get(key, 0)
        counts[key] = seen + 1
        name = _name(key)
        own = f"fnref:{name}" + (f":{seen}" if seen else "")
        return (
            f'<sup id="{own}" role="doc-noteref"><a href="#fn:{name}" class="footnote" '
            f'rel="footnote">{index}</a></sup>'
        )

    def notes(renderer: Any, text: str) -> str:
        return f'<div class="footnotes" role="doc-endnotes">\n<ol>\n{text}</ol>\n</div>\n'

    def item(renderer: Any, text: str, key: str, index: int) -> str:
        name = _name(key)
        backs = " ".join(
            f'<a href="#fnref:{name}{f":{n}" if n else ""}" class="reversefootnote" '
            f'role="doc-backlink">&#8617;{f"<sup>{n + 1}</sup>" if n else ""}</a>'
            for n in range(max(counts.get(key, 0), 1))
        )
        text = text.rstrip()
        text = f"{text[:-4]} {backs}</p>" if text.endswith("</p>") else f"{text}\n<p>{backs}</p>"
        return f'<li id="fn:{name}" role="doc-endnote">{text}</li>\n'

    md.before_render_hooks.append(reset)
    md.renderer.register("footnote_ref", ref)
    md.renderer.register("footnotes", notes)
    md.renderer.register("footnote_item", item)


def _name(key: str) -> str:
    """The note's name in kramdown's ids. mistune keeps it upper-cased (`[^note]` is `NOTE`):
    lower case gives back the names most notes have (numbers, lower-case words)."""
    return escape(key.lower())
