"""hearing-watch: follow U.S. congressional commission hearings.

The library: model (the record), normalize (pure text-to-values), store (SQLAlchemy with revision
history), feeds/calendars/index_page (what subscribers read), crawl (child-process crawls), cli.
"""

__version__ = "0.1.0"
