"""Leaf rules without I/O: text keys and Markdown, names, inputs, diffs, the shape of a term's content."""
