"""How the API shows the lexicon and reads proposals: JSON in, JSON out, no model writes here."""
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lexique.api.fields import (
    NOT_BLANK,
    ONE_LINE,
    ONE_LINE_NOT_BLANK,
    SOURCE_URL,
    TEXT,
    TEXT_NOT_BLANK,
    NameField,
    StrictBooleanField,
    StrictCharField,
    StrictDictSerializer,
    StrictIntegerField,
    StrictListField,
)
from lexique.api.representation import Output, change_representation, event_row, instance_representation
from lexique.core.content import (
    HEADWORD_MAX_LENGTH,
    LANGUAGES,
    SUMMARY_MAX_LENGTH,
    DesignationKind,
    Region,
    UsageStatus,
)
from lexique.core.diff import Chunk, revision_diff
from lexique.core.grammar import Gender, PartOfSpeech, grammar_values
from lexique.core.sources import MAX_LENGTHS as SOURCE_MAX_LENGTHS
from lexique.editions.selectors import FrozenTerm
from lexique.models import Domain, PublicationEvent, Revision, Term
from lexique.selectors import is_stale, public_name
from lexique.services import ApprovalPlan, Outcome, plan_approval
from lexique.services.content import MAX_LIST_ITEMS, ONE_LINE_FIELDS, SUMMARY_TOO_LONG, TEXT_FIELDS


def display_name(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """Who wrote or reviewed: never an e-mail address."""
    return public_name(user) if user is not None else None


def _languages(context: Mapping[str, Any]) -> Sequence[str]:
    return context.get("languages", LANGUAGES)


def _api_url(context: Mapping[str, Any], name: str, **kwargs: Any) -> str:
    return context["request"].build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


# --- Shapes used only to describe the API in its schema --------------------------------------

class TranslatedTextSerializer(serializers.Serializer):
    fr = serializers.CharField(required=False, help_text="Français")
    en = serializers.CharField(required=False, help_text="English")


class TranslatedUrlSerializer(serializers.Serializer):
    fr = serializers.URLField(required=False)
    en = serializers.URLField(required=False)


class SourceSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True, required=False)
    year = serializers.CharField(read_only=True, required=False, help_text="Digits only: 2019.")
    publisher = serializers.CharField(read_only=True, required=False)
    pages = serializers.CharField(read_only=True, required=False, help_text="A page or pages: 12, 12-15.")
    standard = serializers.CharField(read_only=True, required=False, help_text="A standard's number: ISO 1087:2019.")
    url = serializers.CharField(read_only=True, required=False,
                                help_text="http(s) address, normalised; absent for a source that has none.")
    definition = serializers.CharField(
        read_only=True, required=False,
        help_text="The language of the definition this source supports (fr or en); absent, it supports the term "
                  "as a whole.")


class SynonymSerializer(serializers.Serializer):
    text = serializers.CharField(read_only=True)
    lang = serializers.ChoiceField(choices=LANGUAGES, read_only=True)
    status = serializers.ChoiceField(choices=UsageStatus.choices, read_only=True)
    region = serializers.ChoiceField(choices=Region.choices, read_only=True, required=False,
                                     help_text="Where it is used (absent: wherever the language is).")
    kind = serializers.ChoiceField(choices=DesignationKind.choices, read_only=True, required=False,
                                   help_text="A shortened designation: abbreviation, initialism or acronym.")


# --- Reading ---------------------------------------------------------------------------------

@extend_schema_field(TranslatedTextSerializer)
class TranslatedField(serializers.Field):
    """{"fr": ..., "en": ...} from the model's headword_fr/headword_en columns (narrowed by ?lang=)."""

    def __init__(self, base: str, **kwargs: Any) -> None:
        self.base = base
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance: Any) -> dict[str, str]:
        # A text not written yet in a language is "" (modeltranslation may store it as NULL).
        return {lang: getattr(instance, f"{self.base}_{lang}") or "" for lang in _languages(self.context)}


class DomainRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = TranslatedField("name")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, domain: Domain) -> str:
        return _api_url(self.context, "domain-detail", slug=domain.slug)


class DomainSerializer(DomainRefSerializer):
    description = TranslatedField("description")
    terms = serializers.SerializerMethodField(help_text="The published terms of this domain.")
    term_count = serializers.IntegerField(source="published_count", read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_terms(self, domain: Domain) -> str:
        return _api_url(self.context, "term-list") + f"?domain={domain.slug}"


class RelatedTermSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    headword = TranslatedField("headword")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, term: Term) -> str:
        return _api_url(self.context, "term-detail", slug=term.slug)


class HeadwordGrammarSerializer(serializers.Serializer):
    part_of_speech = serializers.ChoiceField(choices=[("", ""), *PartOfSpeech.choices], read_only=True,
                                             help_text="LexInfo's and TBX's names are in docs/formats.md; '' for none.")
    gender = serializers.ChoiceField(choices=[("", ""), *Gender.choices], read_only=True)
    region = serializers.ChoiceField(choices=[("", ""), *Region.choices], read_only=True,
                                     help_text="Where the headword is used ('' for everywhere).")
    abbreviation = serializers.CharField(read_only=True, help_text="As the site prints it: « n. m. » in French, "
                                                            "« n. » in English.")


class GrammarSerializer(serializers.Serializer):
    fr = HeadwordGrammarSerializer(read_only=True)
    en = HeadwordGrammarSerializer(read_only=True, required=False)


class TermSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    url = serializers.SerializerMethodField(help_text="This term in the API.")
    web_url = serializers.SerializerMethodField(help_text="The term's page on the site, in each language.")
    headword = TranslatedField("headword")
    definition = TranslatedField("definition", help_text="Markdown source.")
    definition_html = TranslatedField("definition_html", help_text="Sanitised HTML rendered from the Markdown.")
    examples = TranslatedField("examples")
    notes = TranslatedField("notes")
    category = serializers.CharField(read_only=True, help_text="What the grammar's values cannot say of the French "
                                                               "headword, as free text, e.g. « n. m. pl. ».")
    grammar = serializers.SerializerMethodField(help_text="The headword's part of speech, gender and region in "
                                                          "each language.")
    synonyms = serializers.SerializerMethodField(help_text="Preferred forms first.")
    sources = SourceSerializer(many=True, read_only=True)
    domains = DomainRefSerializer(many=True, read_only=True)
    related = RelatedTermSerializer(many=True, read_only=True)
    revision = serializers.IntegerField(
        source="current_revision_id", read_only=True,
        help_text="Id of the approved revision this content reflects (the base_revision of an edit).",
    )
    version = serializers.SerializerMethodField(
        help_text="The version people cite: published versions of this term counted 1, 2, 3 … without gaps, "
                  "as on the site (/termes/{slug}/versions/{version}/).",
    )
    first_published_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, help_text="Last approval.")

    def to_representation(self, instance: Term | FrozenTerm) -> dict[str, Any]:
        # The fields above describe the JSON (schema, tests); representation.py builds it, for lists too.
        if getattr(self, "_links", None) is None:
            self._output = Output.for_context(self.context)
        return instance_representation(instance, self._output)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, term: Term | FrozenTerm) -> str:
        return _api_url(self.context, "term-detail", slug=term.slug)

    @extend_schema_field(TranslatedUrlSerializer)
    def get_web_url(self, term: Term | FrozenTerm) -> dict[str, str]:
        request = self.context["request"]
        urls: dict[str, str] = {}
        for lang in _languages(self.context):
            with translation.override(lang):
                urls[lang] = request.build_absolute_uri(term.get_absolute_url())
        return urls

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_version(self, term: Term | FrozenTerm) -> int | None:
        version = getattr(term, "published_version", None)
        if version is None:
            version = getattr(getattr(term, "current_revision", None), "version", None)
        return version

    @extend_schema_field(SynonymSerializer(many=True))
    def get_synonyms(self, term: Term | FrozenTerm) -> list[dict[str, Any]]:
        languages = _languages(self.context)
        return [synonym for synonym in term.synonyms or [] if synonym.get("lang", "fr") in languages]

    @extend_schema_field(GrammarSerializer)
    def get_grammar(self, term: Term | FrozenTerm) -> dict[str, dict[str, str]]:
        return {lang: grammar_values(term, lang) for lang in _languages(self.context)}



class RevisionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="The published version people cite (1, 2, 3 …).")
    author = serializers.SerializerMethodField()
    summary = serializers.CharField(read_only=True)
    proposed_at = serializers.DateTimeField(source="created_at", read_only=True)
    approved_at = serializers.DateTimeField(source="reviewed_at", read_only=True, allow_null=True)
    reverted_from = serializers.SerializerMethodField(help_text="Number of the revision this one restored.")
    current = serializers.SerializerMethodField(help_text="Whether this is the published version.")

    @extend_schema_field(OpenApiTypes.STR)
    def get_author(self, revision: Revision) -> str | None:
        return display_name(revision.author)

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_reverted_from(self, revision: Revision) -> int | None:
        return self.context["numbers"].get(revision.reverted_from_id)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_current(self, revision: Revision) -> bool:
        return revision.pk == self.context["current_revision_id"]


class ChangeSerializer(serializers.Serializer):
    sequence = serializers.IntegerField(read_only=True, help_text="Position in the feed: the next cursor.")
    kind = serializers.ChoiceField(choices=PublicationEvent.Kind.choices, read_only=True)
    slug = serializers.SlugField(source="term.slug", read_only=True)
    revision = serializers.IntegerField(source="revision_id", read_only=True, allow_null=True)
    version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The published version this event made public (null when retired)."
    )
    occurred_at = serializers.DateTimeField(source="created_at", read_only=True)
    term = serializers.SerializerMethodField(
        help_text="The term as published now; null once it has been retired (a later event says so)."
    )

    def to_representation(self, instance: PublicationEvent) -> dict[str, Any]:
        # As TermSerializer: the fields describe, representation.py builds.
        if getattr(self, "_links", None) is None:
            self._output = Output.for_context(self.context)
        term = None
        if instance.kind != PublicationEvent.Kind.RETIRED and instance.term.is_public:
            # The version this event published, for instance_representation to show (not a field of Term).
            version = getattr(instance, "term_version", None)
            instance.term.published_version = version  # type: ignore[attr-defined]  # for this event only
            term = instance_representation(instance.term, self._output)
        return change_representation(event_row(instance), term, self._output)

    @extend_schema_field(TermSerializer(allow_null=True))
    def get_term(self, event: PublicationEvent) -> dict[str, Any] | None:
        if event.kind == PublicationEvent.Kind.RETIRED or not event.term.is_public:
            return None
        version = getattr(event, "term_version", None)
        event.term.published_version = version  # type: ignore[attr-defined]  # for this event only
        return TermSerializer(event.term, context=self.context).data


class ChangesPageSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(read_only=True, help_text="Pass it back as ?cursor= to get what follows.")
    has_more = serializers.BooleanField(read_only=True, help_text="More events are already waiting.")
    next = serializers.URLField(read_only=True,
                                help_text="The address to read next (poll it when has_more is false).")
    results = ChangeSerializer(many=True, read_only=True)


# --- Proposals -------------------------------------------------------------------------------

def _text(name: str, *, required: bool = False) -> StrictCharField:
    kwargs: dict[str, Any] = {"max_length": TEXT_FIELDS[name]}
    one_line = name in ONE_LINE_FIELDS
    field = NameField if name.startswith("headword_") else StrictCharField
    if required:
        return field(pattern=ONE_LINE_NOT_BLANK if one_line else TEXT_NOT_BLANK, **kwargs)
    return field(required=False, allow_blank=True, pattern=ONE_LINE if one_line else TEXT, **kwargs)


def _source_text(key: str, help_text: str = "") -> StrictCharField:
    return StrictCharField(required=False, allow_blank=True, max_length=SOURCE_MAX_LENGTHS[key], pattern=TEXT,
                           help_text=help_text)


class SourceInputSerializer(StrictDictSerializer):
    """A source: a title and, optionally, who wrote it, when, who published it, where in it, a standard's
    number and an address (lexique.core.sources says the rules)."""

    title = _source_text("title", "Required unless a standard's number or an address stands for it.")
    author = _source_text("author")
    year = StrictCharField(required=False, allow_blank=True, max_length=4, pattern=r"^([0-9]{1,4})?$",
                           help_text="The year of publication, in digits: 2019.")
    publisher = _source_text("publisher")
    pages = _source_text("pages", "A page or pages: 12, 12-15.")
    standard = _source_text("standard", "A standard's number: ISO 1087:2019.")
    url = StrictCharField(required=False, allow_blank=True, max_length=1000, pattern=r"^(" + SOURCE_URL[1:-1] + r")?$",
                          help_text="http(s) address, optional; characters a URI cannot hold as they are (spaces, "
                                    "{ } | ^ and the like) are percent-encoded.")
    # A pattern rather than a choice: the languages' enum is named after the synonyms' `lang` in the schema.
    definition = StrictCharField(
        required=False, allow_blank=True, max_length=2, pattern=r"^(fr|en)?$",
        help_text="The language of the definition this source supports (fr or en); absent or empty: the term as a "
                  "whole.")


class SynonymInputSerializer(StrictDictSerializer):
    text = NameField(max_length=HEADWORD_MAX_LENGTH, pattern=ONE_LINE_NOT_BLANK)
    lang = serializers.ChoiceField(choices=LANGUAGES, required=False, default="fr")
    status = serializers.ChoiceField(choices=UsageStatus.choices, required=False, default=UsageStatus.ADMITTED)
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    kind = serializers.ChoiceField(choices=DesignationKind.choices, required=False)


def _slugs(help_text: str) -> StrictListField:
    return StrictListField(
        child=StrictCharField(max_length=220, pattern=r"^[-a-zA-Z0-9_]+$"),
        max_length=MAX_LIST_ITEMS, required=False, help_text=help_text,
    )


class ContentInputSerializer(StrictDictSerializer):
    """The content of a proposal; for an edit, fields left out keep the value of the base revision."""

    headword_fr = _text("headword_fr", required=True)
    headword_en = _text("headword_en")
    definition_fr = _text("definition_fr", required=True)
    definition_en = _text("definition_en")
    examples_fr = _text("examples_fr")
    examples_en = _text("examples_en")
    notes_fr = _text("notes_fr")
    notes_en = _text("notes_en")
    category = _text("category")
    part_of_speech_fr = serializers.ChoiceField(choices=PartOfSpeech.choices, required=False, allow_blank=True)
    gender_fr = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    region_fr = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    part_of_speech_en = serializers.ChoiceField(choices=PartOfSpeech.choices, required=False, allow_blank=True)
    gender_en = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    region_en = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    sources = StrictListField(child=SourceInputSerializer(), max_length=MAX_LIST_ITEMS, required=False)
    synonyms = StrictListField(child=SynonymInputSerializer(), max_length=MAX_LIST_ITEMS, required=False)
    domains = _slugs("Slugs of domains (see /domains/).")
    related = _slugs("Slugs of published terms.")
    summary = StrictCharField(required=False, allow_blank=True, max_length=SUMMARY_MAX_LENGTH,
                              error_messages={"max_length": SUMMARY_TOO_LONG}, help_text="What changes and why.")


class NewTermProposalSerializer(ContentInputSerializer):
    pass


class EditProposalSerializer(ContentInputSerializer):
    base_revision = StrictIntegerField(
        min_value=1, max_value=2**63 - 1,
        help_text="The `revision` of the term you started from; a stale base is flagged to moderators.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("headword_fr", "definition_fr"):
            self.fields[name].required = False


class ResubmitSerializer(ContentInputSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("headword_fr", "definition_fr"):
            self.fields[name].required = False


class ApproveSerializer(StrictDictSerializer):
    comment = StrictCharField(required=False, allow_blank=True, max_length=2000)
    confirm_stale = StrictBooleanField(
        required=False, default=False,
        help_text="Approve even though the proposal started from an older version (after reading the diff).",
    )


class RejectSerializer(StrictDictSerializer):
    reason = StrictCharField(max_length=2000, pattern=NOT_BLANK, help_text="Shown to the author.")


class RequestChangesSerializer(StrictDictSerializer):
    comment = StrictCharField(max_length=2000, pattern=NOT_BLANK, help_text="What the author should change.")


class ProposalTermSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    status = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The published term, if it is published.")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, term: Term) -> str | None:
        return _api_url(self.context, "term-detail", slug=term.slug) if term.is_public else None


DIFF_SCHEMA = {
    "type": "object",
    "description": "Word diff per changed field.",
    "additionalProperties": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "op": {"type": "string", "enum": ["equal", "delete", "insert"]}, "text": {"type": "string"},
            },
            "required": ["op", "text"],
        },
    },
}


def diff_as_json(diff: Mapping[str, list[Chunk]]) -> dict[str, list[dict[str, str]]]:
    return {field: [{"op": op, "text": text} for op, text in chunks] for field, chunks in diff.items()}


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    number = serializers.IntegerField(read_only=True)
    term = ProposalTermSerializer(read_only=True)
    state = serializers.ChoiceField(choices=Revision.State.choices, read_only=True)
    base_revision = serializers.IntegerField(source="base_revision_id", read_only=True, allow_null=True)
    base_version = serializers.IntegerField(source="base_revision.version", read_only=True, allow_null=True,
                                            help_text="The published version the author started from.")
    author = serializers.SerializerMethodField()
    summary = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    reviewer = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    review_comment = serializers.CharField(read_only=True)
    headword_fr = serializers.CharField(read_only=True)
    headword_en = serializers.CharField(read_only=True)
    definition_fr = serializers.CharField(read_only=True)
    definition_en = serializers.CharField(read_only=True)
    examples_fr = serializers.CharField(read_only=True)
    examples_en = serializers.CharField(read_only=True)
    notes_fr = serializers.CharField(read_only=True)
    notes_en = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    part_of_speech_fr = serializers.CharField(read_only=True)
    gender_fr = serializers.CharField(read_only=True)
    region_fr = serializers.CharField(read_only=True)
    part_of_speech_en = serializers.CharField(read_only=True)
    gender_en = serializers.CharField(read_only=True)
    region_en = serializers.CharField(read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    synonyms = SynonymSerializer(many=True, read_only=True)
    domains = serializers.ListField(source="domain_slugs", child=serializers.CharField(), read_only=True)
    related = serializers.ListField(source="related_slugs", child=serializers.CharField(), read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, revision: Revision) -> str:
        return _api_url(self.context, "proposal-detail", pk=revision.pk)

    @extend_schema_field(OpenApiTypes.STR)
    def get_author(self, revision: Revision) -> str | None:
        return display_name(revision.author)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reviewer(self, revision: Revision) -> str | None:
        return display_name(revision.reviewer)


APPROVAL_SCHEMA = {
    "type": "object", "nullable": True,
    "properties": {
        "outcome": {"type": "string", "enum": [outcome.value for outcome in Outcome]},
        "conflicts": {"type": "array", "items": {"type": "string"}},
        "kept_from_published": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["outcome", "conflicts", "kept_from_published"],
}


class ProposalDetailSerializer(ProposalSerializer):
    published_revision = serializers.IntegerField(
        source="term.current_revision_id", read_only=True, allow_null=True,
        help_text="The revision published now.",
    )
    published_version = serializers.IntegerField(
        source="term.current_revision.version", read_only=True, allow_null=True,
        help_text="The version published now, as people cite it.",
    )
    stale = serializers.SerializerMethodField(
        help_text="True when the proposal started from another version than the published one."
    )
    approval = serializers.SerializerMethodField(
        help_text="What approving would do now, for a pending proposal (null otherwise): `publish` it as it is, "
                  "`merge` it onto the published version (keeping the fields in `kept_from_published`), or stop "
                  "on a `conflict` in the fields of `conflicts` unless confirm_stale is true."
    )
    diff = serializers.SerializerMethodField(help_text="What approving would change in the published version.")

    def _plan(self, revision: Revision) -> ApprovalPlan | None:
        """The plan of approval, made once per proposal shown (the one the approve service carries out)."""
        if revision.state != Revision.State.PENDING:
            return None
        plans = self.context.setdefault("approval_plans", {})
        if revision.pk not in plans:
            plans[revision.pk] = plan_approval(revision)
        return plans[revision.pk]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_stale(self, revision: Revision) -> bool:
        return is_stale(revision)

    @extend_schema_field(APPROVAL_SCHEMA)
    def get_approval(self, revision: Revision) -> dict[str, Any] | None:
        plan = self._plan(revision)
        if plan is None:
            return None
        return {
            "outcome": plan.outcome.value,
            "conflicts": [item.name for item in plan.conflicts],
            "kept_from_published": [item.name for item in plan.taken_from_published],
        }

    @extend_schema_field(DIFF_SCHEMA)
    def get_diff(self, revision: Revision) -> dict[str, list[dict[str, str]]]:
        plan = self._plan(revision)
        # What is published is the plan's content: the proposal, merged onto the published version when stale.
        published = plan.content() if plan is not None and plan.stale else revision
        return diff_as_json(revision_diff(revision.term.current_revision, published))


class TokenRequestSerializer(StrictDictSerializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=4096, trim_whitespace=False)
    name = StrictCharField(pattern=ONE_LINE, max_length=100, required=False, allow_blank=True,
                           help_text="What the token is for, shown on your account page.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text='Send it as "Authorization: Token <token>".')
    name = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


# --- Errors (for the schema) -----------------------------------------------------------------

class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    detail = serializers.CharField(read_only=True, help_text="A sentence for people.")
    # A declared field, which the serializer's metaclass takes (Serializer.errors is another thing).
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, not Serializer.errors
        child=serializers.ListField(child=serializers.CharField()), read_only=True,
        help_text='Messages per field ("content.sources.0.url"); empty when the error is not about a field.',
    )
