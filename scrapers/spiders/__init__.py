"""One spider per source, one source per file (the registry is hearing_watch.sources)."""
