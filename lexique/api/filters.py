"""Query parameters of terms/: search (with its filters and match mode), domain, letter, updated_since, ordering,
lang (all strictly checked)."""
import re
import string
from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lexique.core.content import LANGUAGES
from lexique.models import Term
from lexique.models.term import TermQuerySet
from lexique.search.filters import API_PARAMETERS, parse_search_filters
from lexique.search.limits import bounded_query
from lexique.search.ranking import in_ranked_order, search

# Text that has no business in a search box: markup, statement separators, comparison operators.
SEARCH_PATTERN = r"^[^<>;={}\[\]\\|^$%~`@\u0000-\u001f\u007f]*$"
SEARCH_MAX_LENGTH = 200
LETTERS = list(string.ascii_uppercase) + ["#"]
ORDERINGS = ["headword", "-headword", "updated", "-updated"]


class _SearchField(django_filters.CharFilter.field_class):
    default_validators = [
        RegexValidator(
            SEARCH_PATTERN[:-1] + r"\Z",  # "$" would also match before a final newline
            _("La recherche ne peut contenir ni balises, ni caractères de code "
              "(< > ; = { } [ ] \\ | ^ $ %% ~ ` @)."),
        )
    ]


DOMAINS_PATTERN = r"^[-a-zA-Z0-9_,]*$"


class _DomainsField(forms.CharField):
    default_validators = [
        RegexValidator(DOMAINS_PATTERN[:-1] + r"\Z", _("Des identifiants de domaines, séparés par des virgules."))
    ]


class _DomainsFilter(django_filters.CharFilter):
    field_class = _DomainsField


class _SearchFilter(django_filters.CharFilter):
    field_class = _SearchField


# RFC 3339, what OpenAPI's "date-time" means: a time zone is required.
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z"
)


def parse_moment(value: str | None) -> datetime | None:
    """An RFC 3339 date-time as an aware UTC datetime, or None if it is not one."""
    text = (value or "").upper()
    match = _RFC3339.match(value or "")
    if not match:
        return None
    if match.group(6) == "60":  # a leap second: the moment just before
        text = text[:17] + "59" + text[19:]
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed out of range by its offset
        return datetime.min.replace(tzinfo=UTC) if moment.year == 1 else datetime.max.replace(tzinfo=UTC)


class MomentField(forms.CharField):
    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]  # text read as a moment
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        moment = parse_moment(text)
        if moment is None:
            raise forms.ValidationError(_("Une date ISO 8601 (RFC 3339) avec fuseau horaire est attendue, "
                                          "p. ex. 2025-01-31T12:00:00Z."))
        return moment


class _MomentFilter(django_filters.Filter):
    field_class = MomentField


class TermFilter(django_filters.FilterSet):
    q = _SearchFilter(
        method="search", max_length=SEARCH_MAX_LENGTH,
        label="Search in headwords, synonyms and definitions, accents and case ignored.",
    )
    domain = _DomainsFilter(
        method="in_domains", max_length=200, label="Domain slug(s), comma-separated: terms in any of them."
    )
    letter = django_filters.ChoiceFilter(
        method="starting_with", choices=[(letter, letter) for letter in LETTERS],
        label="Initial letter (A–Z, accents folded; # for the rest).",
    )
    updated_since = _MomentFilter(
        field_name="updated_at", lookup_expr="gte", label="Terms approved at or after this time (ISO 8601)."
    )
    ordering = django_filters.ChoiceFilter(
        method="order", choices=[(value, value) for value in ORDERINGS],
        label="headword: French alphabetical order (default); updated: last approval. A leading - reverses.",
    )
    lang = django_filters.ChoiceFilter(
        method="keep", choices=[(lang, lang) for lang in LANGUAGES],
        label="Only this language in translated fields (default: both).",
    )
    # A search's filters and match mode: read and checked by lexique.search.filters, as the results page's.
    match_lang = django_filters.CharFilter(method="keep", max_length=20,
                                           label="With q: the match is in a headword or synonym of this language.")
    status = django_filters.CharFilter(method="keep", max_length=20,
                                       label="With q: the matching headword or synonym has this usage status.")
    region = django_filters.CharFilter(method="keep", max_length=20,
                                       label="With q: the matching headword or synonym has this region of use.")
    match = django_filters.CharFilter(method="keep", max_length=20,
                                      label="With q: exact, starts or contains (default: the site's ranking).")

    def is_valid(self) -> bool:
        valid = super().is_valid()
        # django-filter reads "?letter=" as "no filter"; the schema says an empty value is not a letter.
        for name in ("updated_since", "letter", "ordering", "lang"):
            if self.data.get(name) == "":
                self.form.add_error(name, _("Valeur vide."))
                valid = False
        for name, message in parse_search_filters(self.data, API_PARAMETERS)[1].items():
            self.form.add_error(name, message)
            valid = False
        return valid

    def search(self, queryset: TermQuerySet, name: str, value: str) -> TermQuerySet:
        return queryset  # applied last, in filter_queryset, among the terms the other filters keep

    def in_domains(self, queryset: TermQuerySet, name: str, value: str) -> TermQuerySet:
        slugs = [slug.strip() for slug in value.split(",") if slug.strip()]
        return queryset.in_domains(slugs)

    def starting_with(self, queryset: TermQuerySet, name: str, value: str) -> TermQuerySet:
        return queryset.starting_with(value)

    def order(self, queryset: TermQuerySet, name: str, value: str) -> TermQuerySet:
        return queryset  # applied last, in filter_queryset, so that it wins over the search's relevance order

    def keep(self, queryset: TermQuerySet, name: str, value: str) -> TermQuerySet:
        return queryset

    def filter_queryset(self, queryset: TermQuerySet) -> QuerySet[Term]:
        terms: QuerySet[Term] = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("q"):
            # The site's one ranking, in the language asked for (French when both are).
            lang = self.form.cleaned_data.get("lang") or "fr"
            filters = parse_search_filters(self.data, API_PARAMETERS)[0]
            found = search(bounded_query(self.form.cleaned_data["q"]), lang=lang, terms=terms, filters=filters,
                           facets=True)
            # The number of matches, which the page's candidates do not tell, for the pagination's `count`.
            if self.request is not None:
                self.request.search_results = found  # type: ignore[attr-defined]  # read by TermPagination
            terms = in_ranked_order(terms, found.ids)
        ordering = self.form.cleaned_data.get("ordering")
        if ordering:
            field = {"headword": "sort_key", "updated": "updated_at"}[ordering.lstrip("-")]
            prefix = "-" if ordering.startswith("-") else ""
            terms = terms.order_by(f"{prefix}{field}", f"{prefix}slug")
        elif not self.form.cleaned_data.get("q"):
            terms = terms.order_by("sort_key", "slug")
        return terms
