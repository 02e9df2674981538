"""Create N synthetic published terms, in bulk, for benchmarks."""
import functools
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lexique.models import Domain, LexiconState, PublicationEvent, Revision, Term
from lexique.signals import published_set_changed
from lexique.text import render_markdown

WORDS_FR = (
    "numérique", "données", "écosystème", "médiation", "création", "œuvre", "diffusion", "public",
    "plateforme", "réseau", "archive", "éditeur", "musée", "scène", "découvrabilité", "collection",
)
WORDS_EN = (
    "digital", "data", "ecosystem", "mediation", "creation", "work", "distribution", "audience",
    "platform", "network", "archive", "publisher", "museum", "stage", "discoverability", "collection",
)
BATCH = 1000
# The synthetic definitions repeat, so each is rendered once.
_render = functools.lru_cache(maxsize=None)(render_markdown)


class Command(BaseCommand):
    help = "Create N synthetic published terms (bulk writes, for benchmarks and load tests)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("count must be a positive number.")
        rng = random.Random(seed)
        author, _created = get_user_model().objects.get_or_create(
            username="generateur", defaults={"email": "generateur@example.org"}
        )
        domains = list(Domain.objects.all())
        start = Term.objects.filter(slug__startswith="synthetique-").count()
        with transaction.atomic():
            for offset in range(0, count, BATCH):
                size = min(BATCH, count - offset)
                self._batch(rng, author, domains, range(start + offset, start + offset + size))
            version = LexiconState.current().version
            transaction.on_commit(lambda: published_set_changed.send(sender=Term, version=version))
        self.stdout.write(f"Created {count} synthetic terms.")

    def _batch(self, rng, author, domains, numbers):
        now = timezone.now()
        terms, revisions = [], []
        for number in numbers:
            pick = rng.sample(range(len(WORDS_FR)), 3)
            headword_fr = f"{WORDS_FR[pick[0]]} {WORDS_FR[pick[1]]} {number:06d}"
            content = {
                "headword_fr": headword_fr,
                "headword_en": f"{WORDS_EN[pick[0]]} {WORDS_EN[pick[1]]} {number:06d}",
                "definition_fr": f"Définition *synthétique* liée à la notion de {WORDS_FR[pick[2]]}.",
                "definition_en": f"A *synthetic* definition related to {WORDS_EN[pick[2]]}.",
                "examples_fr": "", "examples_en": "", "notes_fr": "", "notes_en": "",
                "category": "n. m.", "sources": [], "synonyms": [],
            }
            term = Term(
                slug=f"synthetique-{number:06d}", status=Term.Status.PUBLISHED,
                first_published_at=now, updated_at=now,
                definition_html_fr=_render(content["definition_fr"]),
                definition_html_en=_render(content["definition_en"]),
                **content,
            )
            term.refresh_keys()
            terms.append(term)
            revisions.append(Revision(
                term=term, number=1, author=author, state=Revision.State.APPROVED, reviewer=author,
                reviewed_at=now, summary="Synthetic", **content,
            ))
        Term.objects.bulk_create(terms)
        for revision in revisions:
            revision.term_id = revision.term.pk
        Revision.objects.bulk_create(revisions)
        for term, revision in zip(terms, revisions, strict=True):
            term.current_revision_id = revision.pk
        Term.objects.bulk_update(terms, ["current_revision"])
        if domains:
            through = Term.domains.through
            through.objects.bulk_create(
                [through(term_id=term.pk, domain_id=rng.choice(domains).pk) for term in terms]
            )
        state = LexiconState.current()
        LexiconState.objects.filter(pk=state.pk).update(version=F("version") + len(terms), changed_at=now)
        state.refresh_from_db()
        first = state.version - len(terms) + 1
        PublicationEvent.objects.bulk_create([
            PublicationEvent(sequence=first + i, kind=PublicationEvent.Kind.PUBLISHED, term=term, revision=revision)
            for i, (term, revision) in enumerate(zip(terms, revisions, strict=True))
        ])
