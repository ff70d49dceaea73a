"""The digests' own feeds: where a digest publishes them in the output folder, and which are
there.

A build lists them in `feeds.opml` and `feeds.html` once a digest has published them, so their
presence is among what a build reads: the first digest ever published makes the next build a
full one, whose listing names them (not the nothing-changed shortcut, nor a one-post rebuild,
which keep the listing as it was). Light on purpose: the nothing-changed check imports it.
"""

from __future__ import annotations

from ..config import Config, FeedFormat

DIGESTS = "digests/"
# The digest feeds, always in every format (see digest.webcopy.public_artifacts).
DIGEST_FEEDS: tuple[tuple[FeedFormat, str], ...] = (
    ("rss", DIGESTS + "rss.xml"),
    ("atom", DIGESTS + "atom.xml"),
    ("json", DIGESTS + "feed.json"),
)


def web_folder(digest_id: str, code: str = "") -> str:
    """A digest's web version's folder in the output folder: `digests/<id>/`, or
    `digests/<code>/<id>/` for a language's edition (`code`)."""
    return f"{DIGESTS}{code}/{digest_id}/" if code else f"{DIGESTS}{digest_id}/"


def published_digest_feeds(config: Config) -> list[tuple[FeedFormat, str]]:
    """The digest feeds a digest has written into the output folder."""
    return [(fmt, path) for fmt, path in DIGEST_FEEDS if (config.output_dir / path).is_file()]


def build_settings(config: Config) -> bytes:
    """The config's settings (`Config.settings_bytes`) and the digest feeds published: what
    decides, besides the posts, whether the last build's output and plan still hold."""
    published = ",".join(path for _, path in published_digest_feeds(config))
    return config.settings_bytes() + b"\0digest feeds: " + published.encode()
