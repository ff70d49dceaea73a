"""Footnotes with the ids and markup of the generator's own pages.

mistune numbers a footnote's anchors (`#fn-1`, `#fnref-1`). A feed's links are made absolute
against the post's page, where only the generator's ids are: a footnote link then lands on its
note only with them.

- kramdown (Jekyll) names them after the footnote (`#fn:1`, `#fn:note`), gives each further
  reference to one its own id (`fnref:1:1`) and the note a back-link to each (`↩ ↩2 ↩3`)
  (kramdown 2.4's converter/html.rb, `convert_footnote` and `footnote_content`).
- goldmark (Hugo) numbers them (`#fn:1`, `fnref:1`; a further reference to a note
  `fnref1:1`, `fnref2:1`) and gives the note a back-link to each (Hugo 0.168 wrote so).
- pulldown-cmark (Zola) links `#note` and gives the note's `<div class="footnote-definition">`
  that id (Zola 0.17.2 wrote so); with `[markdown] bottom_footnotes = true` (Zola 0.19 on), the
  notes go in a list at the end, `#fn-note`, each reference `fr-note-1`, `fr-note-2`... with a
  back-link to each (components/markdown/src/markdown.rs, `convert_footnotes_to_github_style`).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from mistune.helpers import BLOCK_TAGS, PRE_TAGS
from mistune.util import unikey

# A note's definition, `[^Smith]: ...`, with mistune's footnote label.
_DEFINITION = re.compile(r"^ {0,4}\[\^((?:[^\\\[\]\s]|\\.){1,500})\]:", re.M)
_LABEL = r"(?:[^\\\[\]\s]|\\.){1,500}"
# The lines that start a block of their own rather than go on a paragraph (CommonMark's
# interruptions, and a note's definition): a lazy line of a note may be none of them.
_INTERRUPTS = (
    r"[ \t]*$| {0,3}(?:#{1,6}(?:[ \t]|$)|```|~~~|>|[-+*][ \t]+\S|1[.)][ \t]+\S"
    r"|(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$|</?(?:"
    + "|".join((*BLOCK_TAGS, *PRE_TAGS))
    + r")(?:[\s/>]|$)|<!--)| {0,4}\[\^"
    + _LABEL
    + r"\]:"
)
# goldmark's note: its first line, each line that goes on its paragraph unindented (lazy
# continuation) and each indented one, after blank lines or not (mistune takes indented
# ones only: `[^1]: a` then `b` left `b` a paragraph of the post; Hugo 0.168 puts it in
# the note).
_GOLDMARK_DEFINITION = (
    r"^(?P<footnote_lead> {0,4})\[\^(?P<footnote_key>" + _LABEL + r")]:[ \t\n]"
    r"(?P<footnote_text>[^\n]*(?:\n|$)"
    r"(?:\n*(?P=footnote_lead) {1,4}(?! )[^\n]*(?:\n|$)|(?!" + _INTERRUPTS + r")[^\n]*(?:\n|$))*)"
)


def kramdown_footnotes(md: Any) -> None:
    """A mistune plugin (after its `footnotes`): kramdown's footnote markup."""
    name, counts = _Names(md), _Counts(md)

    def ref(renderer: Any, key: str, index: int) -> str:
        seen = counts.next(key)
        own = f"fnref:{name(key)}" + (f":{seen}" if seen else "")
        return (
            f'<sup id="{own}" role="doc-noteref"><a href="#fn:{name(key)}" class="footnote" '
            f'rel="footnote">{index}</a></sup>'
        )

    def notes(renderer: Any, text: str) -> str:
        return f'<div class="footnotes" role="doc-endnotes">\n<ol>\n{text}</ol>\n</div>\n'

    def item(renderer: Any, text: str, key: str, index: int) -> str:
        backs = " ".join(
            f'<a href="#fnref:{name(key)}{f":{n}" if n else ""}" class="reversefootnote" '
            f'role="doc-backlink">&#8617;{f"<sup>{n + 1}</sup>" if n else ""}</a>'
            for n in counts.each(key)
        )
        text = _in_last_paragraph(text, f" {backs}", f"\n<p>{backs}</p>")
        return f'<li id="fn:{name(key)}" role="doc-endnote">{text}</li>\n'

    _register(md, ref, notes, item)


def goldmark_footnotes(md: Any) -> None:
    """A mistune plugin (after its `footnotes`): goldmark's footnote markup, and its notes'
    lazy lines (`_GOLDMARK_DEFINITION`)."""
    counts = _Counts(md)
    md.block.register("ref_footnote", _GOLDMARK_DEFINITION, _goldmark_note, before="ref_link")

    def ref(renderer: Any, key: str, index: int) -> str:
        seen = counts.next(key)
        return (
            f'<sup id="fnref{seen or ""}:{index}"><a href="#fn:{index}" class="footnote-ref" '
            f'role="doc-noteref">{index}</a></sup>'
        )

    def notes(renderer: Any, text: str) -> str:
        return f'<div class="footnotes" role="doc-endnotes">\n<hr>\n<ol>\n{text}</ol>\n</div>\n'

    def item(renderer: Any, text: str, key: str, index: int) -> str:
        backs = "".join(
            f'&#160;<a href="#fnref{n or ""}:{index}" class="footnote-backref" '
            'role="doc-backlink">&#x21a9;&#xfe0e;</a>'
            for n in counts.each(key)
        )
        text = _in_last_paragraph(text, backs, f"\n<p>{backs}</p>")
        return f'<li id="fn:{index}">\n{text}\n</li>\n'

    _register(md, ref, notes, item)


def _goldmark_note(block: Any, m: re.Match[str], state: Any) -> int:
    """Keeps a note's text, its indented lines taken back to the margin of the first one, so
    that mistune does not measure the indent on a lazy line (its `parse_footnote_item` takes
    the second line's indent off every line)."""
    notes = state.env.setdefault("ref_footnotes", {})
    key = unikey(m.group("footnote_key"))
    if key not in notes:
        first, *rest = m.group("footnote_text").split("\n")
        indents = [len(x) - len(x.lstrip(" ")) for x in rest if x.startswith(" ") and x.strip()]
        cut = min(indents, default=0)
        notes[key] = "\n".join([first, *(x[cut:] if x.startswith(" ") else x for x in rest)])
    return m.end()


def zola_footnotes(md: Any) -> None:
    """A mistune plugin (after its `footnotes`): pulldown-cmark's footnote markup."""
    name = _Names(md)

    def ref(renderer: Any, key: str, index: int) -> str:
        return f'<sup class="footnote-reference"><a href="#{name(key)}">{index}</a></sup>'

    def item(renderer: Any, text: str, key: str, index: int) -> str:
        return (
            f'<div class="footnote-definition" id="{name(key)}">'
            f'<sup class="footnote-definition-label">{index}</sup>\n{text}</div>\n'
        )

    _register(md, ref, lambda renderer, text: text, item)


def zola_bottom_footnotes(md: Any) -> None:
    """A mistune plugin (after its `footnotes`): Zola's notes at the end, `bottom_footnotes`."""
    name, counts = _Names(md), _Counts(md)

    def ref(renderer: Any, key: str, index: int) -> str:
        seen = counts.next(key) + 1
        return (
            f'<sup class="footnote-reference" id="fr-{name(key)}-{seen}">'
            f'<a href="#fn-{name(key)}">{index}</a></sup>'
        )

    def notes(renderer: Any, text: str) -> str:
        return (
            f'<section class="footnotes">\n<ol class="footnotes-list">\n{text}</ol>\n</section>\n'
        )

    def item(renderer: Any, text: str, key: str, index: int) -> str:
        backs = "".join(
            f' <a href="#fr-{name(key)}-{n + 1}">&#8617;{n + 1 if n else ""}</a>'
            for n in counts.each(key)
        )
        return f'<li id="fn-{name(key)}">{_in_last_paragraph(text, backs, backs)}</li>\n'

    _register(md, ref, notes, item)


def _register(md: Any, ref: Any, notes: Any, item: Any) -> None:
    md.renderer.register("footnote_ref", ref)
    md.renderer.register("footnotes", notes)
    md.renderer.register("footnote_item", item)


def _in_last_paragraph(text: str, inside: str, after: str) -> str:
    """A note's text with its back-links: `inside` its last paragraph, else `after` it."""
    text = text.rstrip()
    return f"{text[:-4]}{inside}</p>" if text.endswith("</p>") else f"{text}{after}"


class _Counts:
    """References so far to each note, in the document rendered (its notes come after)."""

    def __init__(self, md: Any) -> None:
        self.seen: dict[str, int] = {}
        md.before_render_hooks.append(lambda md, state: self.seen.clear())

    def next(self, key: str) -> int:
        """How many references to the note came before this one."""
        found = self.seen.get(key, 0)
        self.seen[key] = found + 1
        return found

    def each(self, key: str) -> range:
        return range(max(self.seen.get(key, 0), 1))


class _Names:
    """Each note's name as its definition writes it, by mistune's key for it: mistune matches
    a reference to its note by an upper-cased key (`[^Smith]` is `SMITH`), the generators'
    ids keep the name as written (`fn:Smith`, `#Smith`). Read anew for each document."""

    def __init__(self, md: Any) -> None:
        from mistune.util import unikey

        self._key = unikey
        self.written: dict[str, str] = {}
        md.before_parse_hooks.append(self.read)

    def read(self, md: Any, state: Any) -> None:
        found = reversed(list(_DEFINITION.finditer(state.src)))  # the first definition wins
        self.written = {self._key(m.group(1)): m.group(1) for m in found}

    def __call__(self, key: str) -> str:
        return escape(self.written.get(key, key.lower()))
