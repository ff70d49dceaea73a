"""syndicate: Markdown posts -> RSS, Atom and JSON feeds and a weekly digest email."""

__version__ = "0.1.0"
