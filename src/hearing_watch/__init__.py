"""hearing-watch: follow U.S. congressional commission hearings.

The library, one package per pipeline stage over a few shared modules (each package's
``__init__`` names its public face; only those names are imported across packages):

- ``crawl``: one child process per source runs the spiders of ``scrapers/`` (with ``scraping``,
  the Scrapy side they share); ``normalize`` turns page text into a :class:`~model.Hearing`.
- ``store``: every hearing by stable id, with its revision history (SQLAlchemy).
- ``publish``: RSS/Atom feeds, calendars and the index page; ``notify``: notices, sent once.
- ``topics``: what users follow; ``service``: the scheduler; ``cli``: the command line.
- Shared: ``model`` (the record), ``config``, ``sources`` (the registry), ``render`` (how a
  hearing reads), ``secrets`` (notify URLs), ``crash_testing`` (crash-test hooks).
"""

__version__ = "0.1.0"
