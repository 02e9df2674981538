"""Addresses of the downloads: the downloads page and the stable e-book URLs."""
from django.urls import re_path

from lexique.views.exports import downloads, export_epub

urlpatterns = [
    re_path(r"^telechargements/$", downloads, name="downloads"),
    re_path(r"^export/lexique-(?P<variant>fr|en|bilingue)\.epub$", export_epub, name="export-epub"),
]
