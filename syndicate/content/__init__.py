"""Content: the site's files -> typed `Post`s, and each post's Markdown -> safe HTML.

In: the content folder and the settings that shape posts (`config.Config`). Out: `Post` values
(`model.py`) and the `Report` of every problem found, each at its file and line.

- `loader`: discovery of post files, front matter read and normalised into `Post`s.
- `frontmatter`: the one table of front-matter keys: names, normalisers, doc lines.
- `split`: a file's text -> its front matter, read, and its body.
- `fastyaml`: the quick reader for the plain YAML front matter nearly every post has.
- `markdown`: mistune + the sanitizer: a post's body -> HTML with absolute URLs, and summaries.
- `newpost`: `syndicate new`, a draft in the site's own style.
"""
