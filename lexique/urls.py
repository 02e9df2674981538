"""The lexicon's pages."""
from django.urls import path

from . import views

app_name = "lexique"

urlpatterns = [
    path("", views.home, name="home"),
    path("termes/<slug:slug>/", views.term_detail, name="term"),
]
