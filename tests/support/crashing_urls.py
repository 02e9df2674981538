"""A URL map with one view that fails, to see how production reports a server error."""
from django.urls import path


def crash(request):
    raise RuntimeError("a bug\nover two lines")


urlpatterns = [path("crash/", crash)]
