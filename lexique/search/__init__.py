"""Search: keys, the indexes each database keeps, the searches through them and their one ranking."""
