"""API tokens: django-rest-knox's hashed, expiring token, with the name its owner gave it."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """Only a digest of the token is stored; the token itself is shown once, when it is made."""

    name: models.CharField[str, str] = models.CharField(_("nom"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name or self.token_key} ({self.user})"
