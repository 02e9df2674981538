"""What a person chooses about how the lexicon names them (kept apart from Django's user model)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributorPreferences(models.Model):
    """A person's choices; no row means every default (not named in the e-books' credits)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="contributor_preferences",
        verbose_name=_("personne"),
    )
    # Consent, so off until the person turns it on: a name in a book handed out cannot be taken back.
    named_in_credits = models.BooleanField(
        _("nommé dans les crédits des livres numériques"), default=False,
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("préférences de contribution")
        verbose_name_plural = _("préférences de contribution")

    def __str__(self) -> str:
        return str(self.user)
