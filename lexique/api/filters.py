"""Query parameters of terms/: search, domain, letter, updated_since, ordering, lang (all strictly checked)."""
import string

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ..models.content import LANGUAGES

# Text that has no business in a search box: markup, statement separators, comparison operators.
SEARCH_PATTERN = r"^[^<>;=*{}\[\]\\|^$%~`@\u0000-\u001f\u007f]*$"
SEARCH_MAX_LENGTH = 200
LETTERS = list(string.ascii_uppercase) + ["#"]
ORDERINGS = ["headword", "-headword", "updated", "-updated"]


class _SearchField(django_filters.CharFilter.field_class):
    default_validators = [
        RegexValidator(
            SEARCH_PATTERN[:-1] + r"\Z",  # "$" would also match before a final newline
            _("La recherche ne peut contenir ni balises, ni caractères de code (< > ; = * { } [ ] \\ | ^ $ %% ~ ` @)."),
        )
    ]


class _SearchFilter(django_filters.CharFilter):
    field_class = _SearchField


class TermFilter(django_filters.FilterSet):
    q = _SearchFilter(
        method="search", max_length=SEARCH_MAX_LENGTH,
        label="Search in headwords, synonyms and definitions, accents and case ignored.",
    )
    domain = django_filters.CharFilter(
        method="in_domains", max_length=200, label="Domain slug(s), comma-separated: terms in any of them."
    )
    letter = django_filters.ChoiceFilter(
        method="starting_with", choices=[(letter, letter) for letter in LETTERS],
        label="Initial letter (A–Z, accents folded; # for the rest).",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Terms approved at or after this time (ISO 8601)."
    )
    ordering = django_filters.ChoiceFilter(
        method="order", choices=[(value, value) for value in ORDERINGS],
        label="headword: French alphabetical order (default); updated: last approval. A leading - reverses.",
    )
    lang = django_filters.ChoiceFilter(
        method="keep", choices=[(lang, lang) for lang in LANGUAGES], label="Only this language in translated fields (default: both)."
    )

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_domains(self, queryset, name, value):
        slugs = [slug.strip() for slug in value.split(",") if slug.strip()]
        return queryset.in_domains(slugs)

    def starting_with(self, queryset, name, value):
        return queryset.starting_with(value)

    def order(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so that it wins over the search's relevance order

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = self.form.cleaned_data.get("ordering")
        if ordering:
            field = {"headword": "sort_key", "updated": "updated_at"}[ordering.lstrip("-")]
            prefix = "-" if ordering.startswith("-") else ""
            queryset = queryset.order_by(f"{prefix}{field}", f"{prefix}slug")
        elif not self.form.cleaned_data.get("q"):
            queryset = queryset.order_by("sort_key", "slug")
        return queryset
