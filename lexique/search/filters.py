"""A search's filters and match mode: read from a request's parameters (the one reading, for the results page
and the API alike), and the designations of a term they are tested against.

A term's designations are its headword in each language (preferred, with the headword's region) and its
synonyms (with their own language, usage status and region). The language, status and region filters keep
the terms with a designation that matches the query and has all three; a term the query finds only in its
definition (or through a corrected spelling) is judged by all its designations.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lexique.core.content import LANGUAGE_LABELS, LANGUAGES, Region, UsageStatus
from lexique.models import Domain


class MatchMode(models.TextChoices):
    """How the query is compared with headwords and synonyms; the default is the site's ranking."""

    RANKED = "", _("pertinence")
    EXACT = "exact", _("exacte")
    STARTS = "starts", _("commence par")
    CONTAINS = "contains", _("contient")


# The filters that a term's designations answer (the domain is the term's own).
DESIGNATION_FACETS = ("language", "status", "region")
FACETS = ("domain", *DESIGNATION_FACETS)
FILTER_FIELDS = (*FACETS, "mode")

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# The parameters of each edge: the results page speaks French, the API English.
WEB_PARAMETERS = {"domain": "domaine", "language": "langue", "status": "statut", "region": "region", "mode": "mode"}
API_PARAMETERS = {"language": "match_lang", "status": "status", "region": "region", "mode": "match"}


@dataclass(frozen=True)
class SearchFilters:
    """What a search keeps: "" for a filter not asked for."""

    domain: str = ""
    language: str = ""
    status: str = ""
    region: str = ""
    mode: str = MatchMode.RANKED.value

    @property
    def designation_filters(self) -> dict[str, str]:
        """The filters a designation must pass, by facet (only those asked for)."""
        return {facet: getattr(self, facet) for facet in DESIGNATION_FACETS if getattr(self, facet)}

    @property
    def narrows(self) -> bool:
        """Whether the results are fewer than the ranking's own (a designation filter, or a match mode)."""
        return bool(self.designation_filters or self.mode)

    def without(self, facet: str) -> SearchFilters:
        return replace(self, **{facet: ""})


@dataclass(frozen=True)
class Designation:
    """A headword or synonym as the filters see it."""

    text: str
    language: str
    status: str
    region: str
    synonym: bool

    def value(self, facet: str) -> str:
        return str(getattr(self, facet))


def designations(headword_fr: str | None, headword_en: str | None, region_fr: str, region_en: str,
                 synonyms: Any) -> list[Designation]:
    """A term's headwords (preferred) and synonyms, each with its language, usage status and region."""
    found = [Designation(headword or "", lang, UsageStatus.PREFERRED.value, region or "", False)
             for headword, lang, region in ((headword_fr, "fr", region_fr), (headword_en, "en", region_en)) if headword]
    for synonym in synonyms or []:
        if isinstance(synonym, dict) and synonym.get("text"):
            found.append(Designation(str(synonym["text"]), "en" if synonym.get("lang") == "en" else "fr",
                                     str(synonym.get("status") or ""), str(synonym.get("region") or ""), True))
    return found


def facet_values(facet: str) -> list[str]:
    """The values a designation facet or the match mode takes (what the API's schema lists)."""
    if facet == "mode":
        return list(MatchMode.values)
    return {"language": list(LANGUAGES), "status": list(UsageStatus.values), "region": list(Region.values)}[facet]


def facet_choices(facet: str) -> list[tuple[str, str]]:
    """(value, label in the reader's language) of a designation facet, in the order the page lists them."""
    if facet == "language":
        return [(code, str(LANGUAGE_LABELS[code])) for code in LANGUAGES]
    if facet == "status":
        return [(value, str(label)) for value, label in UsageStatus.choices]
    if facet == "region":
        return [(value, str(label)) for value, label in Region.choices]
    raise ValueError(facet)


def _unknown(facet: str, value: str) -> str:
    names = {"domain": gettext("domaine"), "language": gettext("langue"), "status": gettext("statut d'usage"),
             "region": gettext("région"), "mode": gettext("mode de recherche")}
    return gettext("Valeur inconnue pour le filtre « %(filter)s » : %(value)s") % {
        "filter": names[facet], "value": value[:60]}


def parse_search_filters(params: Mapping[str, Any], names: Mapping[str, str]) -> tuple[SearchFilters, dict[str, str]]:
    """The filters named in `params` (a request's query parameters) under the parameter `names` of an edge
    (WEB_PARAMETERS, API_PARAMETERS; a filter an edge does not name is not read), and a message for each
    parameter whose value is not one of its filter's: the API refuses them (400), the page ignores them and
    says so. An empty value asks for no filter."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for facet, name in names.items():
        value = _CONTROL.sub("", str(params.get(name) or "")).strip()
        if not value:
            continue
        if facet == "domain":  # looked up only when it can be a slug at all
            known = bool(_SLUG.fullmatch(value)) and Domain.objects.filter(slug=value).exists()
        else:
            known = value in facet_values(facet)
        if known:
            values[facet] = value
        else:
            errors[name] = _unknown(facet, value)
    return SearchFilters(**values), errors

