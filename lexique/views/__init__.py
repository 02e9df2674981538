"""The web pages: parse, authorise, call a service or a selector, render."""
from .reading import home, term_detail

__all__ = ["home", "term_detail"]
