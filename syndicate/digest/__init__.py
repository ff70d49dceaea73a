"""Digest: `Post`s + a period -> a rendered `Email`, and the files a digest leaves behind.

In: the site's posts, a period (`periods`), the `[digest]` settings and templates. Out: an
`Email` (HTML, text and MIME message) for `delivery`, its outbox folder and its web copy.

- `periods`: half-open spans of time with stable ids (`2024-W14`).
- `render`: Jinja2 templates -> the email's HTML and text parts.
- `css_inline`: CSS -> `style` attributes (the only module that imports premailer).
- `merge_tags`: what each transport's receiving end fills in (unsubscribe placeholders).
- `mime`: text + HTML -> a reproducible MIME message.
- `outbox`: the outbox folder a transport sends from, written and read back.
- `webcopy`: the public web copy and the digests' index.
"""
