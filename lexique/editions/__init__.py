"""Numbered editions: the published set frozen under a number, its files kept for ever, and comparisons."""
