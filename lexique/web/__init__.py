"""The web pages: views, forms, template tags, admin and addresses."""
