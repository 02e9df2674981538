"""The public JSON API (version 1): published content for everyone, proposals and reviews with a token."""
