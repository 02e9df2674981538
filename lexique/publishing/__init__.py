"""The published set: its version and caches, the signal of its changes, addresses, feeds, sitemaps, citations."""
