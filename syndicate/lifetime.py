"""What a process that ends without tearing the interpreter down need not free.

`cli.run` ends `build`, `check` and `digest` with `os._exit` once everything is written. Until
then, the objects a command drops on its way out are freed one by one: a 10,000-post build's
loaded site (its posts, their rendered HTML, the taxonomy) took 19.5-22.3 ms to free when the
build returned, on one core, at its very end. `hold` keeps such an object instead, only in a
process that `cli.run` said will end that way; anywhere else (`serve`, the tests, a library
caller) it does nothing, and the object is freed as usual. `ends_at_once` tells the same to
code that would otherwise wait for things to end tidily (a build's last process pool).
"""

from __future__ import annotations

_held: list[object] | None = None


def ending_without_teardown() -> None:
    """Called by `cli.run` before a command it will end with `os._exit`."""
    global _held
    _held = []


def ends_at_once() -> bool:
    """Whether `cli.run` said this process ends with `os._exit` after its command."""
    return _held is not None


def hold(thing: object) -> None:
    """Keep `thing` to the end of the process, if it ends without freeing anything."""
    if _held is not None:
        _held.append(thing)
