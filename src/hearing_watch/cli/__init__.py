"""The ``hearing-watch`` command line, a thin click layer over the library.

Its public face: :func:`main` (the console script) and :data:`cli` (the click group, for tests
and for embedding). The group is in ``group`` (not ``main``: a module named like the function
would hide one behind the other); shared options and the context object in
``context``; one module per command family.
"""

from hearing_watch.cli.group import cli, main

__all__ = ["cli", "main"]
