"""Forms of the web pages: they parse what a person typed into the content the services take."""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lexique import services
from lexique.core.content import (
    FIELD_LABELS,
    SUMMARY_MAX_LENGTH,
    DesignationKind,
    Region,
    UsageStatus,
    reader_language,
)
from lexique.core.grammar import GRAMMAR_CHOICES
from lexique.core.sources import line_error, parse_source_line, source_line
from lexique.core.text import normalize
from lexique.models import Domain, Term
from lexique.models.reports import ANSWER_MAX_LENGTH, REPORT_MAX_LENGTH
from lexique.services import names
from lexique.services.content import SUMMARY_TOO_LONG, TEXT_FIELDS
from lexique.services.discussion import COMMENT_MAX_LENGTH, HIDE_REASON_MAX_LENGTH

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

SIGNUP_SALT = "lexique.signup"
REPORT_SALT = "lexique.report"
STATUS_WORDS = {
    **{value: value for value in UsageStatus.values},
    "privilegie": "preferred", "preferred": "preferred", "admitted": "admitted", "admis": "admitted",
    "deconseille": "not_recommended", "not recommended": "not_recommended",
}

# A synonym line's further parts, in any order: where it is used, and what kind of designation it is.
REGION_WORDS = {
    **{value: value for value in Region.values},
    "quebec": "qc", "belgique": "be", "belgium": "be", "suisse": "ch", "switzerland": "ch",
    "france": "fr", "international": "intl",
}
KIND_WORDS = {
    **{value: value for value in DesignationKind.values},
    "abreviation": "abbreviation", "sigle": "initialism", "acronyme": "acronym",
}


MARKDOWN_HELP = _("Markdown : *italique*, **gras**, [lien](https://…).")


def _text(
    name: str, *, rows: int | None = None, required: bool = False, help_text: _StrOrPromise = ""
) -> forms.CharField:
    """A content field, with the label and the limit it has everywhere."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=FIELD_LABELS[name], max_length=TEXT_FIELDS[name], required=required,
                           widget=widget, help_text=help_text)


def _choice(name: str) -> forms.ChoiceField:
    """A headword's part of speech, gender or region in one language, from its controlled values."""
    choices = GRAMMAR_CHOICES[name.rsplit("_", 1)[0]]
    return forms.ChoiceField(label=FIELD_LABELS[name], required=False,
                             choices=[("", _("(non précisé)")), *choices.choices])


class ProposalForm(forms.Form):
    """A term's whole content, in both languages, as a contributor writes it."""

    headword_fr = _text("headword_fr", required=True)
    headword_en = _text("headword_en")
    part_of_speech_fr = _choice("part_of_speech_fr")
    gender_fr = _choice("gender_fr")
    region_fr = _choice("region_fr")
    part_of_speech_en = _choice("part_of_speech_en")
    gender_en = _choice("gender_en")
    region_en = _choice("region_en")
    category = _text("category", help_text=_("Ce que la partie du discours et le genre ne disent pas, "
                                              "p. ex. n. m. pl., v. tr."))
    definition_fr = _text("definition_fr", rows=5, required=True, help_text=MARKDOWN_HELP)
    definition_en = _text("definition_en", rows=5, help_text=MARKDOWN_HELP)
    examples_fr = _text("examples_fr", rows=3, help_text=MARKDOWN_HELP)
    examples_en = _text("examples_en", rows=3, help_text=MARKDOWN_HELP)
    notes_fr = _text("notes_fr", rows=3, help_text=MARKDOWN_HELP)
    notes_en = _text("notes_en", rows=3, help_text=MARKDOWN_HELP)
    synonyms = forms.CharField(
        label=FIELD_LABELS["synonyms"], widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Un par ligne : terme | langue (fr ou en) | statut (privilégié, admis, déconseillé), puis, "
                    "s'il y a lieu, la région (Québec, France, Belgique, Suisse, international) et le type "
                    "(sigle, acronyme, abréviation). Par exemple : IA | fr | privilégié | sigle"),
    )
    sources = forms.CharField(
        label=FIELD_LABELS["sources"], widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Une par ligne : le titre, puis, séparés par « | », s'il y a lieu : auteur : …, année : …, "
                    "éditeur : …, pages : …, norme : …, définition : fr ou en (la définition qu'elle appuie ; "
                    "aucune : tout le terme) et l'adresse https://…. Par exemple : Vocabulaire de la terminologie "
                    "| norme : ISO 1087:2019 | définition : fr"),
    )
    domains: forms.ModelMultipleChoiceField[Domain] = forms.ModelMultipleChoiceField(
        label=FIELD_LABELS["domains"], queryset=Domain.objects.all(), to_field_name="slug",
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    related = forms.CharField(
        label=FIELD_LABELS["related"], required=False,
        help_text=_("Vedettes de termes publiés, séparées par des virgules."),
    )
    summary = forms.CharField(
        label=_("Résumé de votre proposition"), max_length=SUMMARY_MAX_LENGTH, required=False,
        error_messages={"max_length": SUMMARY_TOO_LONG},
        help_text=_("Ce que vous ajoutez ou corrigez, pour les modérateurs."),
    )

    def __init__(self, *args: Any, new_term: bool = False, **kwargs: Any) -> None:
        # A new term's headword is checked against those taken with every other field, not in a second round.
        self.new_term = new_term
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_from(cls, content: Mapping[str, Any]) -> dict[str, Any]:
        """Fill the form from a content dict (a revision's), for editing."""
        initial = {key: content.get(key, "") for key in cls.base_fields if key in content}
        initial["synonyms"] = "\n".join(
            " | ".join([s["text"], s["lang"], str(UsageStatus(s["status"]).label),
                        *(str(choices(s[key]).label) for key, choices in (("region", Region), ("kind", DesignationKind))
                          if s.get(key) in choices.values)])
            for s in content.get("synonyms", [])
        )
        initial["sources"] = "\n".join(source_line(s, lang=reader_language()) for s in content.get("sources", []))
        initial["domains"] = list(content.get("domains", []))
        headwords = dict(Term.objects.filter(slug__in=content.get("related", [])).values_list("slug", "headword_fr"))
        initial["related"] = ", ".join(headwords.get(slug, slug) for slug in content.get("related", []))
        return initial

    def clean_headword_fr(self) -> str:
        headword: str = self.cleaned_data["headword_fr"]
        if self.new_term and headword.strip():
            errors = services.new_headword_errors(headword.strip())
            if errors:
                raise forms.ValidationError(errors)
        return headword

    def clean_synonyms(self) -> list[dict[str, str]]:
        synonyms = []
        for number, line in enumerate(self._lines("synonyms"), start=1):
            parts = [part.strip() for part in line.split("|")]
            text = parts[0]
            lang = (parts[1] if len(parts) > 1 and parts[1] else "fr").lower()
            status_word = normalize(parts[2]) if len(parts) > 2 and parts[2] else "admis"
            status = STATUS_WORDS.get(status_word)
            if status is None:
                raise forms.ValidationError(
                    _("Ligne %(number)d : statut inconnu « %(status)s » (privilégié, admis ou déconseillé).")
                    % {"number": number, "status": parts[2]}
                )
            synonym = {"text": text, "lang": lang, "status": status}
            for part in parts[3:]:
                word = normalize(part)
                if not word:
                    continue
                if word in REGION_WORDS:
                    synonym["region"] = REGION_WORDS[word]
                elif word in KIND_WORDS:
                    synonym["kind"] = KIND_WORDS[word]
                else:
                    raise forms.ValidationError(
                        _("Ligne %(number)d : « %(word)s » n'est ni une région (Québec, France, Belgique, Suisse, "
                          "international) ni un type (sigle, acronyme, abréviation).")
                        % {"number": number, "word": part}
                    )
            synonyms.append(synonym)
        return synonyms

    def clean_sources(self) -> list[dict[str, str]]:
        """One source a line, read by lexique.core.sources (the services then check each part)."""
        sources = []
        for number, line in enumerate(self._lines("sources"), start=1):
            source = parse_source_line(line)
            error = line_error(source)
            if error:
                raise forms.ValidationError(_("Ligne %(number)d : %(error)s") % {"number": number, "error": error})
            sources.append(source)
        return sources

    def clean_related(self) -> list[str]:
        """Headwords or slugs of published terms, accents and case ignored."""
        names = [name.strip() for name in self.cleaned_data["related"].split(",") if name.strip()]
        slugs: list[str] = []
        unknown: list[str] = []
        for name in names:
            term = Term.objects.published().filter(sort_key=normalize(name)).first() or \
                Term.objects.published().filter(slug=name).first()
            (slugs.append(term.slug) if term else unknown.append(name))
        if unknown:
            raise forms.ValidationError(_("Terme publié introuvable : %(names)s") % {"names": ", ".join(unknown)})
        return slugs

    def _lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.cleaned_data[name].splitlines() if line.strip()]

    def content(self) -> dict[str, Any]:
        data = {key: value for key, value in self.cleaned_data.items() if key != "summary"}
        data["domains"] = [domain.slug for domain in self.cleaned_data.get("domains", [])]
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class ReviewForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approuver")),
        ("request_changes", _("Demander des modifications")),
        ("reject", _("Refuser")),
    ]
    action = forms.ChoiceField(label=_("Décision"), choices=ACTIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire pour l'auteur"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("Obligatoire pour un refus ou une demande de modifications."),
    )
    confirm_stale = forms.BooleanField(
        label=_("J'ai vu ce que cette proposition annulerait dans la version publiée et je confirme."),
        required=False,
    )


# The reason goes into the new revision's summary, after "Retour à la révision N : ".
REVERT_REASON_MAX_LENGTH = SUMMARY_MAX_LENGTH - 50


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du retour à cette version"), max_length=REVERT_REASON_MAX_LENGTH,
        help_text=_("Elle sera visible dans l'historique du terme."),
    )


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du retrait"), max_length=1000,
        help_text=_("Elle sera montrée à l'adresse du terme, avec sa dernière version."),
    )


class SignUpForm(UserCreationForm):
    """Sign-up with two bot checks that need no outside service: a honeypot and a single-use, minimum time."""

    MAX_SECONDS = 3600
    email = forms.EmailField(label=_("Adresse courriel"),
                             help_text=_("Pour réinitialiser votre mot de passe et suivre vos propositions."))
    website = forms.CharField(label=_("Laissez ce champ vide"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # the stubs declare no Meta
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = new_timer(SIGNUP_SALT)
        hide_honeypot(self.fields["website"])

    def clean_website(self) -> str:
        return check_honeypot(self.cleaned_data.get("website"))

    def clean_started(self) -> str:
        self._nonce = read_timer(self.cleaned_data["started"], salt=SIGNUP_SALT,
                                 min_seconds=settings.SIGNUP_MIN_SECONDS, max_seconds=self.MAX_SECONDS)
        return ""

    def clean_username(self) -> str:
        # Names are shown publicly (history, API): an e-mail address used as a name would leak.
        username = self.cleaned_data["username"]
        if "@" in username:
            raise forms.ValidationError(_("Votre nom d'utilisateur est public : n'y mettez pas d'adresse courriel."))
        # NFC, nothing hidden, unique whatever the case, no lookalike of another account's name.
        return names.clean_username(username)

    def _post_clean(self) -> None:
        # The model's checks and the password validators come last.
        super()._post_clean()  # type: ignore[misc]  # BaseModelForm's, absent from the stubs
        # The timer is single-use, spent only by a form that is otherwise valid (a person correcting a
        # mistake sends the same one again): one page load, one account.
        if not self.errors and not spend_timer(SIGNUP_SALT, self._nonce, self.MAX_SECONDS):
            self.add_error("started", _("Ce formulaire a déjà servi : rechargez la page."))


# Two checks against robots that need no outside service, for the forms anyone may send without an account
# (signing up, reporting an error): a field a person never sees (a honeypot) must stay empty, and a signed,
# single-use timer says when the page was served, refusing an answer sent sooner than a person types one.


def hide_honeypot(field: forms.Field) -> None:
    """Keep the honeypot out of the keyboard's way and of autofill (the template hides it from sight)."""
    field.widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


def check_honeypot(value: Any) -> str:
    if value:
        raise forms.ValidationError(_("Ce champ doit rester vide."))
    return ""


def new_timer(salt: str) -> str:
    """A signed token of the moment a form is served, with a nonce that makes it single-use."""
    return signing.dumps({"nonce": secrets.token_urlsafe(16)}, salt=salt)


def read_timer(token: str, *, salt: str, min_seconds: float, max_seconds: int) -> str:
    """The nonce of a timer served between `max_seconds` and `min_seconds` ago; else a clear error."""
    try:
        payload = signing.loads(token, salt=salt, max_age=max_seconds)
    except signing.SignatureExpired:
        raise forms.ValidationError(_("Le formulaire a expiré : rechargez la page.")) from None
    except signing.BadSignature:
        raise forms.ValidationError(_("Formulaire invalide : rechargez la page.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("nonce"), str):
        raise forms.ValidationError(_("Formulaire invalide : rechargez la page."))
    if not _older_than(token, salt, min_seconds):
        raise forms.ValidationError(_("Formulaire envoyé trop vite : réessayez dans quelques secondes."))
    return str(payload["nonce"])


def spend_timer(salt: str, nonce: str, max_seconds: int) -> bool:
    """Spend a timer once (in the shared cache); False when it has already served."""
    return bool(cache.add(_timer_key(salt, nonce), True, timeout=max_seconds))


def release_timer(salt: str, nonce: str) -> None:
    """Give a spent timer back, for a form refused after all that the person corrects and sends again."""
    cache.delete(_timer_key(salt, nonce))


def _timer_key(salt: str, nonce: str) -> str:
    return f"{salt}-nonce:{nonce}"


def _older_than(token: str, salt: str, seconds: float) -> bool:
    if seconds <= 0:
        return True
    try:
        signing.loads(token, salt=salt, max_age=timedelta(seconds=seconds))
    except signing.SignatureExpired:
        return True
    return False


class ErrorReportForm(forms.Form):
    """An error reported on a term by a visitor without an account: what is wrong, and where to answer."""

    MAX_SECONDS = 2 * 3600
    message = forms.CharField(
        label=_("Quelle est l'erreur ?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=REPORT_MAX_LENGTH,
        help_text=_("Dites ce qui est inexact ou manquant et, si possible, votre source. 2000 caractères au plus."),
    )
    email = forms.EmailField(
        label=_("Votre adresse courriel (facultative)"), required=False,
        help_text=_("Seulement pour vous répondre ; elle n'est ni publiée ni transmise."),
    )
    website = forms.CharField(label=_("Laissez ce champ vide"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = new_timer(REPORT_SALT)
        hide_honeypot(self.fields["website"])

    def clean_website(self) -> str:
        return check_honeypot(self.cleaned_data.get("website"))

    def clean_started(self) -> str:
        self._nonce = read_timer(self.cleaned_data["started"], salt=REPORT_SALT,
                                 min_seconds=settings.REPORT_MIN_SECONDS, max_seconds=self.MAX_SECONDS)
        return ""

    def spend_timer(self) -> bool:
        """Spend this form's timer, once everything else is valid: one page load, one report."""
        return spend_timer(REPORT_SALT, self._nonce, self.MAX_SECONDS)

    def release_timer(self) -> None:
        """Give the timer back when the report was refused after all: the person corrects it and sends it again."""
        release_timer(REPORT_SALT, self._nonce)


class ErrorReportAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Réponse à la personne (facultative)"), required=False, max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Envoyée par courriel si la personne a laissé son adresse."),
    )


class CommentForm(forms.Form):
    # The service's limit, so that the counter a browser shows and the rule agree.
    body = forms.CharField(
        label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH, strip=False,
        help_text=_("Texte simple, sans mise en forme ; 3000 caractères au plus."),
    )


class HideCommentForm(forms.Form):
    reason = forms.CharField(label=_("Raison du masquage"), max_length=HIDE_REASON_MAX_LENGTH)
