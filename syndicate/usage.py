"""What `syndicate --help` prints: click's own help of the command table, kept here so that
the answer needs no import of click or of the commands (tests/test_cli.py checks it against
click's; `pytest --update-golden` writes it again)."""

TOP_HELP = """\
Usage: syndicate [OPTIONS] COMMAND [ARGS]...

  Turn a folder of Markdown posts into feeds and a weekly digest email.

Options:
  --version      Show the version and exit.
  --config FILE  The site's config file (default: ./syndicate.toml, else a
                 ./config.toml with a [site] table); relative paths in it are
                 relative to its folder. Before or after the command.
  -h, --help     Show this message and exit.

Commands:
  build   Load the posts and write every feed into the output folder.
  check   Report every problem in config and content; exit 1 if any is an...
  digest  Render the digest email of a period (default: the last complete...
  init    Write syndicate.toml for the site in FOLDER (default: here):...
  new     Create a draft post with complete front matter, in the style of...
  ping    Tell the WebSub hub which feeds changed since the last ping.
  send    Deliver a rendered digest (default: the newest in the outbox)...
  serve   Build, serve the output folder, rebuild on every change, and...
  status  Show the ledger: recent digests, their state, and when and...

  Exit codes:
    0  success
    1  content problems (`check`, `build --strict`), or a build or `new` refusing to replace files
    2  usage or configuration error
    3  delivery failed; safe to run again
    4  delivery needs a person (includes an unreadable ledger)
    5  another run holds the lock
    6  the output or state folder cannot be written (disk full, read-only, permissions)
   70  a bug in syndicate
  130  interrupted (Ctrl-C); what was written is whole, as after a failed run
"""
