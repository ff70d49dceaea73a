"""Feeds: `Post`s -> the feed files a reader subscribes to.

In: the posts of a build and the `[feeds]` settings. Out: `Artifact`s (path + bytes) for the
output folder, written by `output.py`.

- `channels`: posts -> one channel for the site and one per series, category, tag, author and
  section (a set per language on a multilingual site); and the files of `[feeds.addresses]`,
  each a channel at an address of its own.
- `items`: channel + posts -> the one item model every format is written from.
- `rss_atom`: items -> RSS 2.0 and Atom 1.0 (the only module that imports feedgen).
- `jsonfeed`: items -> JSON Feed 1.1.
- `documents`: every format of every channel, the RFC 5005 archives, legacy copies and
  address files.
- `listing`: `feeds.opml` and the `feeds.html` page that list every feed (one of each per
  language).
- `websub`: tell a WebSub hub which feeds changed.
"""
