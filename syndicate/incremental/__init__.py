"""Incremental builds: what lets the second build of a site cost a fraction of the first.

In: the site's files and the last build's records in the state folder. Out: posts and rendered
HTML reused from the cache, the plan of which feed shows which post, and a pool of workers.

- `cache`: each file's parsed post and rendered HTML, keyed by what shaped them.
- `feed_plan`: the last build's documents and the posts each shows.
- `quick_rebuild`: rewrite only the feeds that show an edited post.
- `shortcut`: the start of every build, and its end when nothing changed since the last.
- `pool`: independent work spread over the machine's cores.
- `ahead` (with `ahead_writes`), `parse_ahead`: a first build's posts parsed and rendered, or
  parsed, in children forked as soon as the build has found the files.
"""
