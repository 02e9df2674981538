"""The web pages: parse, authorise, call a service or a selector, render."""
