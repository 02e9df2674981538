"""What a person chooses about how the lexicon names them (kept apart from Django's user model)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributorPreferences(models.Model):
    """A person's choices; no row means every default (not named in the e-books' credits, e-mails in the
    site's language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="contributor_preferences",
        verbose_name=_("personne"),
    )
    # Consent, so off until the person turns it on: a name in a book handed out cannot be taken back.
    named_in_credits = models.BooleanField(
        _("nommé dans les crédits des livres numériques"), default=False,
    )
    # The language of the e-mails the site sends this person: the one chosen on the account page, else the
    # one of the site they last signed in to or wrote in (`last_language`), else the site's own.
    language = models.CharField(_("langue des courriels"), max_length=2, choices=settings.LANGUAGES, blank=True)
    last_language = models.CharField(_("dernière langue employée"), max_length=2, choices=settings.LANGUAGES,
                                     blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("préférences de contribution")
        verbose_name_plural = _("préférences de contribution")

    def __str__(self) -> str:
        return str(self.user)
