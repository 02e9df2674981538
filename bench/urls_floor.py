"""The site's addresses plus /bench/floor/, a trivial JsonResponse (mounted by bench/settings_floor.py only)."""
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def floor(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
