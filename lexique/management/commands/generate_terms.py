"""Create N synthetic published terms, in bulk, for benchmarks: both languages, synonyms, several domains."""
import functools
import itertools
import json
import random
from collections.abc import Iterable, Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import F, JSONField, Model
from django.utils import timezone

from lexique.core.text import render_markdown, slug_for
from lexique.management.progress import on_terminal, progress_bar
from lexique.models import Domain, LexiconState, PublicationEvent, Revision, Suggestion, Term
from lexique.platform.bulk import next_ids
from lexique.publishing.signals import published_set_changed
from lexique.search.suggestions import term_rows

# (French, English) pairs: the head of a headword, its qualifier, and what it is about. Headwords are
# their combinations, so words are shared by many terms and searches return many rows, as in a real bank.
HEADS = (
    ("médiation", "mediation"), ("numérisation", "digitisation"), ("diffusion", "distribution"),
    ("plateforme", "platform"), ("archive", "archive"), ("collection", "collection"), ("données", "data"),
    ("métadonnées", "metadata"), ("billetterie", "ticketing"), ("captation", "recording"),
    ("programmation", "programming"), ("conservation", "preservation"), ("découvrabilité", "discoverability"),
    ("licence", "licence"), ("droit", "right"), ("écosystème", "ecosystem"), ("stratégie", "strategy"),
    ("gestion", "management"), ("édition", "publishing"), ("balado", "podcast"), ("exposition", "exhibition"),
    ("scène", "stage"), ("réseau", "network"), ("public", "audience"), ("financement", "funding"),
    ("mécénat", "patronage"), ("inventaire", "inventory"), ("catalogue", "catalogue"), ("œuvre", "work"),
    ("création", "creation"), ("production", "production"), ("commercialisation", "marketing"),
    ("interopérabilité", "interoperability"), ("accessibilité", "accessibility"), ("référencement", "indexing"),
    ("recommandation", "recommendation"), ("abonnement", "subscription"), ("visite", "tour"),
    ("numérique", "digital technology"), ("infonuagique", "cloud computing"),
)
QUALIFIERS = (
    ("numérique", "digital"), ("culturelle", "cultural"), ("ouverte", "open"), ("participative", "participatory"),
    ("immersive", "immersive"), ("virtuelle", "virtual"), ("hybride", "hybrid"), ("locale", "local"),
    ("collective", "collective"), ("patrimoniale", "heritage"), ("éditoriale", "editorial"),
    ("algorithmique", "algorithmic"), ("mobile", "mobile"), ("durable", "sustainable"), ("libre", "free"),
    ("interactive", "interactive"), ("sonore", "audio"), ("visuelle", "visual"), ("partagée", "shared"),
    ("automatisée", "automated"), ("décentralisée", "decentralised"), ("régionale", "regional"),
    ("multilingue", "multilingual"), ("sécurisée", "secure"), ("native", "native"),
)
TOPICS = (
    ("des publics", "for audiences"), ("du patrimoine", "of heritage"), ("des œuvres", "of works"),
    ("des musées", "for museums"), ("du spectacle vivant", "for the performing arts"), ("du livre", "for books"),
    ("des bibliothèques", "for libraries"), ("des archives", "of archives"), ("de la musique", "for music"),
    ("du cinéma", "for film"), ("des arts visuels", "for the visual arts"), ("des festivals", "for festivals"),
    ("des artistes", "for artists"), ("des collections", "of collections"), ("des données", "of data"),
    ("en région", "in the regions"), ("jeunesse", "for young people"), ("en ligne", "online"),
    ("des droits", "of rights"), ("des métadonnées", "of metadata"), ("des diffuseurs", "for presenters"),
    ("des théâtres", "for theatres"), ("des galeries", "for galleries"), ("du jeu vidéo", "for video games"),
    ("de la danse", "for dance"), ("des médias", "for media"), ("des écoles", "for schools"),
    ("des bénévoles", "for volunteers"), ("des mécènes", "for patrons"), ("des créateurs", "for creators"),
)
# Beyond HEADS x QUALIFIERS x TOPICS (30,000 headwords), a rank ("… 2", "… 3") keeps each one unique.
COMBINATIONS = len(HEADS) * len(QUALIFIERS) * len(TOPICS)
SCATTER = 7919
VERBS = (
    ("désigne", "refers to"), ("regroupe", "brings together"), ("décrit", "describes"), ("organise", "organises"),
)
OBJECTS = (
    ("les pratiques", "the practices"), ("les outils", "the tools"), ("les méthodes", "the methods"),
    ("les services", "the services"), ("les contenus", "the content"), ("les données", "the data"),
)
BATCH = 5000
SLUG_PREFIX = "synthetique-"
# The synthetic definitions repeat, so each is rendered once.
_render = functools.lru_cache(maxsize=None)(render_markdown)


def _headwords(number: int) -> tuple[str, str]:
    """The French and English headwords of synthetic term `number`: distinct for every number."""
    rank, rest = divmod(number, COMBINATIONS)
    # Scattered over every combination (SCATTER is prime to COMBINATIONS), so that even a small lexicon
    # holds every head word and every initial.
    rest = rest * SCATTER % COMBINATIONS
    rest, topic = divmod(rest, len(TOPICS))
    head, qualifier = divmod(rest, len(QUALIFIERS))
    (head_fr, head_en), (qual_fr, qual_en), (topic_fr, topic_en) = HEADS[head], QUALIFIERS[qualifier], TOPICS[topic]
    suffix = f" {rank + 1}" if rank else ""
    return f"{head_fr} {qual_fr} {topic_fr}{suffix}", f"{qual_en} {head_en} {topic_en}{suffix}"


class Command(BaseCommand):
    help = "Create N synthetic published terms (bulk writes, for benchmarks and load tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, count: int, seed: int, **options: Any) -> None:
        if count < 1:
            raise CommandError("count must be a positive number.")
        rng = random.Random(seed)
        author, _created = get_user_model().objects.get_or_create(
            username="generateur", defaults={"email": "generateur@example.org"}
        )
        domains = list(Domain.objects.values_list("pk", flat=True))
        start = Term.objects.filter(slug__startswith=SLUG_PREFIX).count()
        with transaction.atomic(), progress_bar(self, what="Generating", unit="term", total=count) as progress:
            for offset in range(0, count, BATCH):
                size = min(BATCH, count - offset)
                self._batch(rng, author, domains, range(start + offset, start + offset + size))
                progress(offset + size, count)
                if options["verbosity"] > 1 and not on_terminal(self):
                    self.stdout.write(f"{offset + size} terms")
            version = LexiconState.current().version
            transaction.on_commit(lambda: published_set_changed.send(sender=Term, version=version))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The planner must know the tables grew, and index-only scans need the visibility map.
                # (Inside a caller's transaction, as in tests, VACUUM cannot run: ANALYZE only.)
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                for model in (Term, Revision, Term.domains.through, PublicationEvent, Suggestion):
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(f"Created {count} synthetic terms.")

    def _batch(self, rng: random.Random, author: User, domains: list[int], numbers: range) -> None:
        now = timezone.now()
        term_ids = next_ids(Term, len(numbers))
        revision_ids = next_ids(Revision, len(numbers))
        revisions: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        suggestions: list[Mapping[str, Any]] = []
        state = LexiconState.current()
        LexiconState.objects.filter(pk=state.pk).update(version=F("version") + len(numbers), changed_at=now)
        first = LexiconState.objects.values_list("version", flat=True).get(pk=state.pk) - len(numbers) + 1

        def terms() -> Iterator[dict[str, Any]]:
            # Yielded one by one, so that the database indexes a row while the next one is made.
            for position, (number, term_id, revision_id) in enumerate(zip(numbers, term_ids, revision_ids,
                                                                           strict=True)):
                content = _content(rng, number)
                term = SimpleNamespace(
                    id=term_id, slug=f"{SLUG_PREFIX}{slug_for(content['headword_fr'])}",
                    status=Term.Status.PUBLISHED, current_revision_id=revision_id, created_at=now,
                    first_published_at=now, updated_at=now, **_with_base_columns(content),
                    definition_html_fr=_render(content["definition_fr"]),
                    definition_html_en=_render(content["definition_en"]),
                )
                term.definition_html = term.definition_html_fr
                # The model's own rule for keys, on a plain row that has the columns it reads.
                Term.refresh_keys(term)  # type: ignore[arg-type]  # a row, not a Term
                revisions.append({
                    "id": revision_id, "term_id": term_id, "number": 1, "version": 1, "author_id": author.pk,
                    "state": Revision.State.APPROVED, "reviewer_id": author.pk, "reviewed_at": now,
                    "created_at": now, "summary": "Synthetic", **_with_base_columns(content),
                })
                links.extend({"term_id": term_id, "domain_id": domain}
                             for domain in (rng.sample(domains, 1 + (number % 4 == 0)) if domains else ()))
                events.append({"sequence": first + position, "kind": PublicationEvent.Kind.PUBLISHED,
                               "term_id": term_id, "revision_id": revision_id, "created_at": now})
                suggestions.extend(term_rows(term_id, content["headword_fr"], content["headword_en"],
                                             content["synonyms"]))
                yield vars(term)

        _insert(Term, terms())
        _insert(Revision, revisions)
        _insert(Term.domains.through, links)
        _insert(PublicationEvent, events)
        _insert(Suggestion, suggestions)  # what the application keeps after each save, made here in bulk
        connection.queries_log.clear()  # with DEBUG on, a million rows of SQL would stay in memory


def _content(rng: random.Random, number: int) -> dict[str, Any]:
    headword_fr, headword_en = _headwords(number)
    verb_fr, verb_en = VERBS[number % len(VERBS)]
    object_fr, object_en = OBJECTS[rng.randrange(len(OBJECTS))]
    other_fr, other_en = HEADS[rng.randrange(len(HEADS))]
    synonyms: list[dict[str, str]] = []
    if number % 3 == 0:
        synonyms.append({"text": f"{other_fr} {QUALIFIERS[number % len(QUALIFIERS)][0]}", "lang": "fr",
                         "status": "admitted"})
    if number % 5 == 0:
        synonyms.append({"text": f"{QUALIFIERS[number % len(QUALIFIERS)][1]} {other_en}", "lang": "en",
                         "status": "admitted"})
    return {
        "headword_fr": headword_fr,
        "headword_en": headword_en,
        "definition_fr": f"Terme qui *{verb_fr}* {object_fr} de {other_fr} dans les organisations culturelles.",
        "definition_en": f"A term that *{verb_en}* {object_en} of {other_en} in cultural organisations.",
        "examples_fr": "", "examples_en": "", "notes_fr": "", "notes_en": "",
        "category": "n. f." if number % 2 else "n. m.", "sources": [], "synonyms": synonyms,
    }


def _with_base_columns(content: dict[str, Any]) -> dict[str, Any]:
    # django-modeltranslation keeps the untranslated column too, holding the default language's value.
    return {**content, **{name: content[f"{name}_fr"] for name in ("headword", "definition", "examples", "notes")}}


def _insert(model: type[Model], rows: Iterable[Mapping[str, Any]]) -> None:
    """Write plain rows: COPY on PostgreSQL (model instances would cost more than the database), else in bulk."""
    remaining = iter(rows)
    first = next(remaining, None)
    if first is None:
        return
    rows = itertools.chain([first], remaining)
    fields = [field for field in model._meta.concrete_fields if field.attname in first or not field.primary_key]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**{f.attname: row[f.attname] for f in fields if f.attname in row})
                                   for row in rows])
        return
    defaults = {field.attname: field.get_default() for field in fields}
    json_fields = {field.attname for field in fields if isinstance(field, JSONField)}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([
                json.dumps(value) if name in json_fields else value
                for name in defaults
                for value in (row.get(name, defaults[name]),)
            ])
