"""The API's endpoints: parse and check the request, call a selector or a service, answer JSON."""
import operator
import threading
from collections.abc import Callable
from datetime import datetime
from functools import reduce
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from lexique import services
from lexique.api.caching import published_response
from lexique.api.exceptions import DuplicateTerm, TermRetired, UnknownReference
from lexique.api.fields import StrictDictSerializer
from lexique.api.filters import DOMAINS_PATTERN, SEARCH_MAX_LENGTH, SEARCH_PATTERN, TermFilter, parse_moment
from lexique.api.pagination import PagePagination, TermPagination, positive_int
from lexique.api.representation import Output, change_representations, term_representations
from lexique.api.serializers import (
    ApproveSerializer,
    ChangesPageSerializer,
    DomainSerializer,
    EditProposalSerializer,
    NewTermProposalSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
    RejectSerializer,
    RequestChangesSerializer,
    ResubmitSerializer,
    RevisionSummarySerializer,
    TermSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from lexique.api.throttles import TokenThrottle
from lexique.core.content import LANGUAGES
from lexique.core.text import initial_of_key, normalize
from lexique.editions.selectors import edition_entries, frozen_terms
from lexique.editions.services import NUMBER_PATTERN, NUMBER_REGEX, number_error
from lexique.models import ApiToken, Domain, Edition, EditionEntry, Revision, Term
from lexique.search.filters import facet_values
from lexique.selectors import domains_with_counts, published, term_retirement
from lexique.services import tokens

LANG_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, enum=list(LANGUAGES), description="Only this language in translated fields."
)
EDITION_PARAMETER = OpenApiParameter(
    "edition", {"type": "string", "maxLength": 20, "pattern": f"^{NUMBER_REGEX}$"},
    description="A numbered edition (e.g. 2026.1): the terms as that edition froze them (404 if there is "
                "none). The filters apply to them; `q` looks in the French headwords only.",
)
PROPOSAL_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The proposal's id.")


def requested_edition(request: Request) -> Edition:
    """The edition named by ?edition=: a 400 when the number cannot be one, a 404 when there is none."""
    number = request.query_params.get("edition", "")
    if not NUMBER_PATTERN.fullmatch(number):
        raise ValidationError({"edition": [number_error()]})
    edition = Edition.objects.filter(number=number).first()
    if edition is None:
        raise NotFound(_("Édition inconnue : %(number)s.") % {"number": number})
    return edition


def filtered_edition_entries(request: Request, edition: Edition) -> QuerySet[EditionEntry]:
    """The entries of `edition` that the list's filters keep, checked as the live list checks them.

    In an edition, q looks in the French headwords only (accents and case ignored): the frozen revisions
    have no search index.
    """
    filters = TermFilter(data=request.query_params, queryset=Term.objects.none(), request=request)
    if not filters.is_valid():
        raise ValidationError(filters.errors)
    data = filters.form.cleaned_data
    entries = edition_entries(edition)
    if data.get("q"):
        for word in normalize(data["q"]).split():
            entries = entries.filter(sort_key__contains=word)
    if data.get("domain"):
        slugs = [slug.strip() for slug in data["domain"].split(",") if slug.strip()]
        # The frozen list as JSON text: '"slug"' matches that slug exactly, on every database.
        entries = entries.annotate(domain_text=Cast("domain_slugs", TextField()))
        entries = entries.filter(reduce(operator.or_, (Q(domain_text__contains=f'"{slug}"') for slug in slugs)))
    if data.get("letter"):
        # Filed as the live list files terms (leading punctuation skipped): by the one rule, on the frozen keys.
        filed = [pk for pk, key in entries.values_list("pk", "sort_key") if initial_of_key(key) == data["letter"]]
        entries = entries.filter(pk__in=filed)
    if data.get("updated_since"):
        entries = entries.filter(revision__reviewed_at__gte=data["updated_since"])
    if data.get("ordering"):
        ordering = data["ordering"]
        field = {"headword": "sort_key", "updated": "revision__reviewed_at"}[ordering.lstrip("-")]
        prefix = "-" if ordering.startswith("-") else ""
        entries = entries.order_by(f"{prefix}{field}", f"{prefix}slug")
    return entries


def requested_languages(request: Request) -> tuple[str, ...]:
    lang = request.query_params.get("lang")
    if lang is None:
        return LANGUAGES
    if lang not in LANGUAGES:
        raise ValidationError({"lang": [_("Langue inconnue : fr ou en.")]})
    return (lang,)


def signed_in_user(request: Request) -> User:
    """The account of a request that IsAuthenticated let through (a 401 otherwise, as IsAuthenticated says)."""
    if not isinstance(request.user, User):
        raise NotAuthenticated()
    return request.user


# The mixin extends GenericAPIView's views (it calls their get_serializer_context); the type checker is told
# so, while ChangesView, a plain APIView, stays one.
if TYPE_CHECKING:
    class _ReadView(GenericAPIView):
        pass
else:
    _ReadView = object


class PublishedReadMixin(_ReadView):
    """Reads of the published set: anonymous, conditional, and served from the cache between publications."""

    published_read = True

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["languages"] = requested_languages(self.request)
        return context


@extend_schema_view(
    list=extend_schema(
        summary="Published terms",
        description="Paginated; filters combine. Each item is the full term, as in terms/{slug}/.",
        # What django-filter cannot tell the schema: the patterns the parameters are checked against.
        parameters=[
            OpenApiParameter(
                "q", {"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": SEARCH_PATTERN},
                description="Search in headwords, synonyms and definitions; accents and case ignored. "
                            "Markup and code characters (< > ; = { } [ ] \\ | ^ $ % ~ ` @) are refused; "
                            "a wildcard * is dropped, as on the search page (words are matched anyway). "
                            "Ranked as the site ranks (docs/search.md), in the language of lang "
                            "(French by default).",
            ),
            OpenApiParameter("domain", {"type": "string", "maxLength": 200, "pattern": DOMAINS_PATTERN},
                             description="Domain slug(s), comma-separated: terms in any of them."),
            # The search's filters: the values lexique.search.filters reads (an unknown one is a 400).
            OpenApiParameter("match", {"type": "string", "enum": facet_values("mode")},
                             description="With q: how headwords and synonyms are compared with the query: exact "
                                         "(accents, case and punctuation aside), starts (they start with it), "
                                         "contains (it is inside a headword, or starts a word of a synonym). "
                                         "Empty or absent: the site's ranking, which also reads definitions."),
            OpenApiParameter("match_lang", {"type": "string", "enum": facet_values("language")},
                             description="With q: only terms whose match is in a headword or synonym of this "
                                         "language (a term found only in its definition: any of its own)."),
            OpenApiParameter("status", {"type": "string", "enum": facet_values("status")},
                             description="With q: only terms whose matching headword or synonym has this usage "
                                         "status (a headword is preferred)."),
            OpenApiParameter("region", {"type": "string", "enum": facet_values("region")},
                             description="With q: only terms whose matching headword or synonym is marked as used "
                                         "in this region (qc Québec, fr France, be Belgique, ch Suisse, intl "
                                         "international)."),
            OpenApiParameter("updated_since", OpenApiTypes.DATETIME,
                             description="Terms approved at or after this time (RFC 3339)."),
            EDITION_PARAMETER,
        ],
    ),
    retrieve=extend_schema(summary="One published term", description="Both languages unless ?lang= narrows.",
                           parameters=[LANG_PARAMETER, EDITION_PARAMETER]),
)
class TermViewSet(PublishedReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TermSerializer
    retired_terms_gone = True  # the address of a retired term answers 410 (see lexique.api.schema)
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = TermFilter
    pagination_class = TermPagination

    def get_queryset(self) -> QuerySet[Term]:
        return published.published_terms()

    # Reads answer the cached body, a plain HttpResponse, where DRF's would be a Response.
    def list(  # type: ignore[override]  # a cached HttpResponse
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if "edition" in request.query_params:
            return published_response(request, lambda: self._edition_list_data())
        return published_response(request, lambda: self._list_data())

    def _edition_list_data(self) -> dict[str, Any]:
        edition = requested_edition(self.request)
        requested_languages(self.request)
        page = self.paginate_queryset(filtered_edition_entries(self.request, edition)) or []  # (always a page)
        data = self.get_paginated_response(self.get_serializer(frozen_terms(edition, page), many=True).data).data
        # The version of the published set the edition froze, not today's.
        data["version"] = edition.lexicon_version
        data["edition"] = edition.number
        return data

    def _list_data(self) -> dict[str, Any]:
        # Filters first: a bad parameter is a 400 before anything is read.
        queryset = self.filter_queryset(Term.objects.published())
        # The page as keys, then its terms from plain rows (TermSerializer describes the same JSON).
        keys = self.paginate_queryset(published.term_keys(queryset)) or []  # (always a page: TermPagination)
        output = Output(self.request, requested_languages(self.request))
        return self.get_paginated_response(term_representations([key.pk for key in keys], output)).data

    def retrieve(  # type: ignore[override]  # a cached HttpResponse
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        requested_languages(request)
        if "edition" in request.query_params:
            return published_response(request, lambda: self._edition_term_data(kwargs["slug"]))
        try:
            return published_response(request, lambda: self.get_serializer(self.get_object()).data)
        except Http404:
            # Only when no published term has the slug: a retired one is gone, with its reason, not unknown.
            retirement = term_retirement(kwargs["slug"])
            if retirement is None:
                raise
            raise TermRetired(retirement, request=request) from None

    def _edition_term_data(self, slug: str) -> dict[str, Any]:
        edition = requested_edition(self.request)
        entry = get_object_or_404(edition_entries(edition), slug=slug)
        return self.get_serializer(frozen_terms(edition, [entry])[0]).data

    @extend_schema(
        summary="Approved history of a term",
        description="Every approved revision, oldest first: who (display name), when, why.",
        responses=RevisionSummarySerializer(many=True), filters=False,
    )
    @action(detail=True, methods=["get"], serializer_class=RevisionSummarySerializer, filter_backends=[],
            pagination_class=PagePagination)
    def revisions(self, request: Request, slug: str | None = None) -> HttpResponseBase:
        return published_response(request, lambda: self._revisions_data(slug))

    def _revisions_data(self, slug: str | None) -> dict[str, Any]:
        term = get_object_or_404(Term.objects.published(), slug=slug)
        history = published.approved_history(term)
        page = self.paginate_queryset(history)
        numbers = dict(Revision.objects.filter(term=term).values_list("pk", "number"))
        context = {**self.get_serializer_context(), "numbers": numbers,
                   "current_revision_id": term.current_revision_id}
        return self.get_paginated_response(RevisionSummarySerializer(page, many=True, context=context).data).data

    @extend_schema(
        summary="Propose an edit of a term",
        description="Fields left out keep the value of `base_revision`. The proposal waits for a moderator.",
        request=EditProposalSerializer, responses={201: ProposalSerializer}, parameters=[], filters=False,
    )
    @action(detail=True, methods=["post"], url_path="proposals", permission_classes=[IsAuthenticated],
            serializer_class=EditProposalSerializer, filter_backends=[])
    def propose_edit(self, request: Request, slug: str | None = None) -> Response:
        term = get_object_or_404(Term.objects.published(), slug=slug)
        serializer = EditProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        base = Revision.objects.approved().filter(term=term, pk=data.pop("base_revision")).first()
        if base is None:
            raise UnknownReference({"base_revision": [_("Ce n'est pas une version approuvée de ce terme.")]})
        summary = data.pop("summary", "")
        revision = services.propose_edit(
            term=term, author=signed_in_user(request), base_revision=base, content={**base.content(), **data},
            summary=summary,
        )
        return _created(request, revision)


def _created(request: Request, revision: Revision) -> Response:
    data = ProposalSerializer(revision, context={"request": request}).data
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})


@extend_schema_view(
    list=extend_schema(summary="Domains", description="Where in the cultural chain terms live."),
    retrieve=extend_schema(summary="One domain"),
)
class DomainViewSet(PublishedReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DomainSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    pagination_class = None

    def get_queryset(self) -> QuerySet[Domain]:
        return domains_with_counts().order_by("position", "slug")

    # Reads answer the cached body, a plain HttpResponse, where DRF's would be a Response.
    def list(  # type: ignore[override]  # a cached HttpResponse
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        return published_response(request, lambda: self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(  # type: ignore[override]  # a cached HttpResponse
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        return published_response(request, lambda: self.get_serializer(self.get_object()).data)


class ChangesView(PublishedReadMixin, APIView):
    """The publication log, in commit order: what a mirror follows."""

    max_page_size = 1000
    default_page_size = 100

    @extend_schema(
        summary="Changes feed",
        description=(
            "Publication events (published, updated, retired) in the order they were committed, each with "
            "the term as published now. Start without a cursor (or with `since`), apply the events, then "
            "read `next` (it carries the cursor) again and again: no event is ever missed or repeated. "
            "On `retired`, delete the term from your copy."
        ),
        parameters=[
            OpenApiParameter("cursor", {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                             description="The `cursor` of the previous page "
                             "(the sequence of the last event you applied). Default 0: from the start.",
                             extensions=None),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Start at this time instead "
                             "(ignored when cursor is given)."),
            OpenApiParameter("until", OpenApiTypes.DATETIME, description="Stop before this time: only events "
                             "recorded earlier are returned, and `next` keeps the window. With `since`, the "
                             "window [since, until)."),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
                             description="Events per page."),
        ],
        responses=ChangesPageSerializer,
    )
    def get(self, request: Request) -> HttpResponseBase:
        cursor = self._start(request)
        until = self._until(request)
        size = positive_int(request, "page_size", default=self.default_page_size, maximum=self.max_page_size)
        return published_response(request, lambda: self._page(request, cursor, size, until))

    @staticmethod
    def _until(request: Request) -> datetime | None:
        if "until" not in request.query_params:
            return None
        moment = parse_moment(request.query_params["until"])
        if moment is None:
            raise ValidationError({"until": [_("Une date ISO 8601 avec fuseau horaire est attendue.")]})
        return moment

    def _start(self, request: Request) -> int:
        moment = None
        if "since" in request.query_params:  # checked even when the cursor wins
            moment = parse_moment(request.query_params["since"])
            if moment is None:
                raise ValidationError({"since": [_("Une date ISO 8601 avec fuseau horaire est attendue.")]})
        if "cursor" in request.query_params:
            return positive_int(request, "cursor", default=0, minimum=0, maximum=2**63 - 1)
        return published.first_sequence_since(moment) if moment else 0

    def _page(self, request: Request, cursor: int, size: int, until: datetime | None = None) -> dict[str, Any]:
        events = published.publication_events(after=cursor, limit=size, before=until)
        has_more = len(events) > size
        events = events[:size]
        last = events[-1]["sequence"] if events else cursor
        next_url = request.build_absolute_uri(reverse("api:changes")) + f"?cursor={last}&page_size={size}"
        if until is not None:
            next_url += "&" + urlencode({"until": until.isoformat().replace("+00:00", "Z")})
        return {
            "cursor": last,
            "has_more": has_more,
            "next": next_url,
            # Plain rows to JSON (ChangeSerializer describes the same shape and builds it the same way).
            "results": change_representations(events, Output(request, LANGUAGES)),
        }


@extend_schema_view(
    list=extend_schema(
        summary="Proposals",
        description="Moderators see every proposal (the queue: `?state=pending`); others see their own.",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, enum=Revision.State.values)],
    ),
    retrieve=extend_schema(summary="One proposal, with its diff against the published version",
                           parameters=[PROPOSAL_ID]),
    create=extend_schema(summary="Propose a new term", request=NewTermProposalSerializer,
                         responses={201: ProposalSerializer}),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    permission_required = True
    serializer_class = ProposalSerializer
    lookup_value_regex = "[0-9]{1,18}"  # longer ids cannot exist and would overflow the database's integers

    def get_queryset(self) -> QuerySet[Revision]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Revision.objects.none()
        queryset = Revision.objects.select_related("term", "author", "reviewer", "term__current_revision",
                                                   "base_revision")
        if not services.can_moderate(self.request.user):
            queryset = queryset.filter(author=signed_in_user(self.request))
        return queryset.order_by("created_at", "pk")

    def get_serializer_class(self) -> type[ProposalSerializer]:
        return ProposalDetailSerializer if self.action == "retrieve" else ProposalSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        state = request.query_params.get("state")
        if state is not None:
            if state not in Revision.State.values:
                raise ValidationError({"state": [_("État inconnu.")]})
            queryset = queryset.filter(state=state)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = NewTermProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        summary = data.pop("summary", "")
        try:
            revision = services.propose_term(author=signed_in_user(request), content=data, summary=summary)
        except services.ValidationError as error:
            # The fields were checked above: a headword refused now is one that a term already holds.
            holder = services.term_holding(data["headword_fr"])
            if holder is None or "headword_fr" not in getattr(error, "error_dict", {}):
                raise
            url = request.build_absolute_uri(reverse("api:term-detail", kwargs={"slug": holder.slug}))
            message = " ".join(error.message_dict["headword_fr"])
            raise DuplicateTerm(message, url if holder.is_public else None) from None
        return _created(request, revision)

    def _review(
        self, request: Request, serializer_class: type[StrictDictSerializer], act: Callable[..., Revision]
    ) -> Response:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = act(self.get_object(), **serializer.validated_data)
        return Response(ProposalSerializer(revision, context={"request": request}).data)

    @extend_schema(summary="Approve (moderators)", parameters=[PROPOSAL_ID], request=ApproveSerializer,
                   responses=ProposalSerializer,
                   description="A proposal started from an older version is a 409 with the diff of what "
                               "was published since, unless confirm_stale is true.")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, ApproveSerializer, lambda revision, **data: services.approve(
            revision, by=signed_in_user(request), comment=data.get("comment", ""),
            confirm_stale=data.get("confirm_stale", False)))

    @extend_schema(summary="Reject (moderators)", parameters=[PROPOSAL_ID], request=RejectSerializer,
                   responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, RejectSerializer, lambda revision, **data: services.reject(
            revision, by=signed_in_user(request), reason=data["reason"]))

    @extend_schema(summary="Ask the author for changes (moderators)", parameters=[PROPOSAL_ID],
                   request=RequestChangesSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, RequestChangesSerializer, lambda revision, **data: services.request_changes(
            revision, by=signed_in_user(request), comment=data["comment"]))

    @extend_schema(summary="Resubmit after a request for changes (author)", parameters=[PROPOSAL_ID],
                   request=ResubmitSerializer, responses={201: ProposalSerializer},
                   description="Fields left out keep the value of the proposal being resubmitted.")
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str | None = None) -> Response:
        serializer = ResubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = self.get_object()
        data = dict(serializer.validated_data)
        summary = data.pop("summary", "")
        new = services.resubmit(revision=revision, author=signed_in_user(request),
                                content={**revision.content(), **data}, summary=summary)
        return _created(request, new)


class RootView(APIView):
    """Where everything is: the addresses of the API's collections and of its documentation."""

    @extend_schema(
        summary="Index of the API",
        responses=inline_serializer("Index", {
            name: serializers.URLField()
            for name in ("terms", "domains", "changes", "proposals", "token", "schema", "docs")
        }),
    )
    def get(self, request: Request) -> Response:
        names = {"terms": "api:term-list", "domains": "api:domain-list", "changes": "api:changes",
                 "proposals": "api:proposal-list", "token": "api:token", "schema": "api:schema", "docs": "api:docs"}
        return Response({key: request.build_absolute_uri(reverse(name)) for key, name in names.items()})


class TokenView(APIView):
    """Make a new token for an account with its password, or revoke the token in use."""

    throttle_scope = "token"

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        return [*throttles, TokenThrottle()] if self.request.method == "POST" else throttles

    def get_permissions(self) -> list[BasePermission]:
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    @extend_schema(
        summary="Get a new API token", request=TokenRequestSerializer, responses={201: TokenSerializer}, auth=[],
        description="A new token on each call, valid until `expiry` or until revoked; only its digest is kept, "
                    "so keep it safe: it is shown this once. Changing or resetting the password revokes every "
                    "token. Wrong passwords count towards the account's and the address's sign-in limit (429 when "
                    "locked out).",
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        name = data.pop("name", "")
        # django-axes counts the failure (per account and per address) through Django's authenticate().
        user = authenticate(request._request, **data)
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("Nom d'utilisateur ou mot de passe incorrect."))
        record, token = tokens.create_token(user, name=name)
        body = TokenSerializer({"token": token, "name": record.name, "expiry": record.expiry}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})

    @extend_schema(summary="Revoke the API token of this request", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise ValidationError(
                {"non_field_errors": [_("Envoyez le jeton à révoquer dans l'en-tête Authorization.")]})
        tokens.revoke_token(signed_in_user(request), request.auth.digest)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SchemaView(SpectacularAPIView):
    """/api/v1/schema/: generated once per process, version and language, then served from memory (it
    changes only with the code, so with a deployment, which starts new processes)."""

    _generated: ClassVar[dict[tuple[str | None, str | None], Any]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language())
        schema = self._generated.get(key)
        if schema is None:
            with self._lock:  # one generation at a time, however many requests arrive together
                schema = self._generated.get(key)
                if schema is None:
                    generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
                    schema = generator.get_schema(request=request, public=self.serve_public)
                    self._generated[key] = schema
        return Response(data=schema, headers={
            "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"',
        })
