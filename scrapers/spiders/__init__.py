"""One spider per source; each file holds one source (see hearing_watch.sources for the registry)."""
