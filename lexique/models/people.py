"""What a person chooses about how the lexicon names them (kept apart from Django's user model)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NOTICE_CHOICES = [
    ("each", _("un courriel par événement, au plus un par terme et par heure")),
    ("daily", _("un résumé par jour")),
    ("off", _("aucun courriel")),
]


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
    # Consent too: a page of the person's approved contributions, at /contributeurs/<name>/, and their name
    # linked to it wherever the lexicon shows who wrote a version.
    public_contributions = models.BooleanField(_("contributions montrées publiquement"), default=False)
    # The language of the e-mails the site sends this person: the one chosen on the account page, else the
    # one of the site they last signed in to or wrote in (`last_language`), else the site's own.
    language = models.CharField(_("langue des courriels"), max_length=2, choices=settings.LANGUAGES, blank=True)
    last_language = models.CharField(_("dernière langue employée"), max_length=2, choices=settings.LANGUAGES,
                                     blank=True)
    # How the person hears of comments, decisions and new versions by e-mail.
    notices = models.CharField(_("courriels de suivi"), max_length=10, choices=NOTICE_CHOICES, default="each")
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("préférences de contribution")
        verbose_name_plural = _("préférences de contribution")

    def __str__(self) -> str:
        return str(self.user)


class AccountEmail(models.Model):
    """Whether a person has confirmed their e-mail address, and the address they asked to change to.

    Accounts made on the public sign-up page get a row at once, unconfirmed; until the address is
    confirmed they may read and sign in, not propose, comment or follow. No row at all is an account
    made before addresses were confirmed, or by an administrator: it keeps working, and is asked to
    confirm its address at sign-in.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="account_email",
        verbose_name=_("personne"),
    )
    # The address confirmed last (empty: none yet); the account's address is confirmed while they match.
    confirmed_email = models.EmailField(_("adresse confirmée"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    # A new address asked for on the account page: it replaces the account's only once confirmed.
    pending_email = models.EmailField(_("nouvelle adresse à confirmer"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adresse courriel du compte")
        verbose_name_plural = _("adresses courriel des comptes")

    def __str__(self) -> str:
        return str(self.user)

    def is_confirmed(self) -> bool:
        return bool(self.confirmed_email) and self.confirmed_email.lower() == (self.user.email or "").lower()


class EmailSuppression(models.Model):
    """An address whose owner followed an unsubscribe link: no more e-mail of that stream goes to it.

    The address is kept as a digest: enough to recognise it, nothing to read if the table leaks.
    """

    address_digest = models.CharField(_("empreinte de l'adresse"), max_length=64)
    stream = models.CharField(_("type de courriels"), max_length=20)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("désabonnement")
        verbose_name_plural = _("désabonnements")
        constraints = [models.UniqueConstraint(fields=["address_digest", "stream"], name="unique_suppression")]

    def __str__(self) -> str:
        return f"{self.stream}:{self.address_digest[:12]}"


class PendingNotice(models.Model):
    """A line for tomorrow's digest, for a person who chose one summary a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_notices",
                             verbose_name=_("personne"))
    text = models.TextField(_("texte"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("avis en attente")
        verbose_name_plural = _("avis en attente")
        ordering = ["user_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text[:40]}"
