"""Terms: one entry of the lexicon, with a published copy of its current approved revision."""
import functools
import operator
import re

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lexique.core.content import LANGUAGES
from lexique.core.text import initial, normalize
from lexique.models.content import TermContent
from lexique.search import (
    DEARER_MATCHES_BELOW,
    SEARCH_CANDIDATES,
    TRIGRAM_LENGTH,
    TYPO_CANDIDATES,
    TYPO_MAX_MATCHES,
    TYPO_MIN_LENGTH,
    allowed_edits,
    close_matches,
    query_key,
)
from lexique.search_index import FTS_TABLE, corrections

# Imports and generated lexicons repeat definitions and synonyms: each is normalised once.
_normalize = functools.lru_cache(maxsize=4096)(normalize)


def _quoted(text):
    """An FTS5 string: the text as it is, whatever operators it holds."""
    return '"' + text.replace('"', '""') + '"'


def _words(key):
    """The words of a query key, as the vocabulary of headword words splits them."""
    return [word for word in re.split(r"[^\w]+", key) if word]


def _correctable(words):
    """Those long enough to be mistyped (shorter ones have too many neighbours to correct)."""
    return [word for word in words if len(word) >= TYPO_MIN_LENGTH]


def _pieces(key, edits):
    """`key` cut into edits + 1 pieces of at least three letters (none when it is too short for that)."""
    count = edits + 1
    if len(key) < TRIGRAM_LENGTH * count:
        return []
    size, extra = divmod(len(key), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        pieces.append(key[start:end])
        start = end
    return pieces


class TermQuerySet(models.QuerySet):
    def published(self):
        """What readers, the API and the exports may see: approved and not retired."""
        return self.filter(status=Term.Status.PUBLISHED)

    def in_domains(self, slugs):
        return self.filter(domains__slug__in=slugs).distinct() if slugs else self

    def search(self, query, *, lang="fr"):
        """Accent- and case-insensitive search on headwords, synonyms and definitions, best first.

        Each kind of match is read from an index, at most SEARCH_CANDIDATES rows of each (so a word
        that a third of a huge lexicon holds costs what a rare one does): the exact headword, headwords
        that start with the query, terms that hold every word (trigram GIN on PostgreSQL, FTS5 trigram
        on SQLite), on PostgreSQL French and English full-text matches (stemming, unaccent) from a
        stored document, and, when those are few, headwords a few typing mistakes away. The candidates'
        ids are read once; only they are ranked: exact headword, headword prefix, headword substring,
        then the closest typos, then full-text rank; headwords of `lang` rank first.
        """
        key = query_key(query)
        if not key:
            return self.none()
        sort_field = "sort_key_english" if lang == "en" else "sort_key"
        headword_rank = Case(
            When(**{sort_field: key}, then=Value(3)),
            When(**{f"{sort_field}__startswith": key}, then=Value(2)),
            When(**{f"{sort_field}__contains": key}, then=Value(1)),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        if connection.vendor == "postgresql":
            return self._postgresql_search(query, key, headword_rank, sort_field)
        ids = self.candidate_ids(key, sort_field, [self._sqlite_words(key)])
        if len(ids) < DEARER_MATCHES_BELOW:
            ids.update(self.typo_matches(key))
        return self.filter(pk__in=ids).annotate(headword_rank=headword_rank).order_by("-headword_rank", sort_field)

    def candidate_ids(self, key, sort_field, matches):
        """The ids worth ranking (see bounded_candidates), read in one query: the count of the results
        and their page then cost a lookup by primary key, not the candidates' search again."""
        candidates = self.bounded_candidates(key, sort_field, matches)
        with connection.cursor() as cursor:
            cursor.execute(candidates.sql, candidates.params)
            return {row[0] for row in cursor.fetchall()}

    def bounded_candidates(self, key, sort_field, matches):
        """A subquery of the ids worth ranking: the exact and prefix headwords of `key`, then `matches`
        (querysets or (sql, params)), each bounded by SEARCH_CANDIDATES."""
        parts = [
            self.order_by().filter(Q(sort_key=key) | Q(sort_key_english=key)).values("pk"),
            # No ORDER BY: the prefix's own index (pattern_ops, or a key range on SQLite) hands rows in key
            # order already, where an ORDER BY would make the planner walk the whole btree from 'a'.
            self._starting_with_key(key, sort_field).order_by().values("pk"),
            *matches,
        ]
        sqls, params = [], []
        for part in parts:
            if isinstance(part, tuple):
                sql, part_params = part
            else:
                sql, part_params = part[:SEARCH_CANDIDATES].query.sql_with_params()
            # Wrapped, so that each part keeps its own LIMIT (SQLite allows no parenthesised UNION member).
            sqls.append(f"SELECT * FROM ({sql}) AS candidate")
            params += list(part_params)
        return RawSQL(" UNION ".join(sqls), params)

    def _starting_with_key(self, key, field):
        if connection.vendor == "postgresql":
            # LIKE 'key%' is served by a range of Django's pattern_ops index, from the whole table (the outer
            # query keeps the published ones): with a LIMIT, the published set's partial btree tempts the
            # planner into walking it from 'a', testing every headword, when the key's are far down.
            return self.model.objects.filter(**{f"{field}__startswith": key})
        # SQLite's LIKE ignores case, so its indexes cannot serve it: a range of the (binary) key instead.
        return self.filter(**{f"{field}__gte": key, f"{field}__lt": key + "\U0010ffff"})

    @staticmethod
    def _substring(key):
        """Every word of the key in the search text (the trigram index serves words of 3 letters or more)."""
        substring = Q()
        for word in key.split():
            substring &= Q(search_text__contains=word)
        return substring

    @staticmethod
    def _indexed_words(key):
        return [word for word in key.split() if len(word) >= TRIGRAM_LENGTH]

    def _postgresql_search(self, query, key, headword_rank, sort_field):
        from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

        text_query = SearchQuery(query, config="lexique_fr", search_type="plain") | SearchQuery(
            query, config="lexique_en", search_type="plain"
        )
        # Dearest last, each only while the cheaper ones found too few: the full text (stemmed words),
        # then substrings (partial words; common trigrams have long posting lists), then typos.
        ids = self.candidate_ids(key, sort_field, [self.order_by().filter(search_document=text_query).values("pk")])
        if len(ids) < DEARER_MATCHES_BELOW:
            if self._indexed_words(key):
                substrings = self.order_by().filter(self._substring(key))
            else:  # too short for trigrams: headwords of the other language that start with it
                substrings = self.order_by().filter(Q(sort_key__startswith=key) | Q(sort_key_english__startswith=key))
            ids.update(substrings.values_list("pk", flat=True)[:SEARCH_CANDIDATES])
        if len(ids) < DEARER_MATCHES_BELOW:
            ids.update(self._corrected_ids(key))
        return (
            self.filter(pk__in=ids)
            .annotate(
                headword_rank=headword_rank,
                similarity=TrigramWordSimilarity(Value(key), sort_field),
                text_rank=SearchRank(F("search_document"), text_query),
            )
            .order_by("-headword_rank", "-similarity", "-text_rank", sort_field)
        )

    def names_known_words(self, key):
        """PostgreSQL: whether every word of `key` long enough to be mistyped is a word of some headword
        (the vocabulary); False elsewhere, where no vocabulary is kept."""
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            found = corrections(cursor, _correctable(_words(key)))
        return bool(found) and all(corrected == [word] for word, corrected in found.items())

    def _corrected_ids(self, key):
        """PostgreSQL: terms that hold the query once each mistyped word is replaced by the closest words
        of the headwords (the vocabulary's trigram index), read from the full-text index."""
        from django.contrib.postgres.search import SearchQuery

        words = _words(key)
        with connection.cursor() as cursor:
            found = corrections(cursor, _correctable(words))
        if all(found[word] == [word] for word in found):
            return set()  # nothing mistyped, or nothing to correct it with
        query = None
        for word in words:
            either = functools.reduce(operator.or_, (
                SearchQuery(alternative, config=config, search_type="plain")
                for alternative in found.get(word) or [word] for config in ("lexique_fr", "lexique_en")
            ))
            query = either if query is None else query & either
        return set(self.order_by().filter(search_document=query).values_list("pk", flat=True)[:SEARCH_CANDIDATES])

    def _sqlite_words(self, key):
        """(sql, params): ids of the terms that hold every word of `key`, from the FTS5 index."""
        indexed = self._indexed_words(key)
        if not indexed:  # too short for trigrams: headwords that start with it, a range of the key indexes
            table = self.model._meta.db_table
            sql = " UNION ".join(
                f"SELECT id FROM (SELECT id FROM {table} WHERE {field} >= %s AND {field} < %s "
                f"LIMIT {SEARCH_CANDIDATES})"
                for field in ("sort_key", "sort_key_english")
            )
            return sql, [key, key + "\U0010ffff"] * 2
        phrase = " AND ".join(_quoted(word) for word in indexed)
        short = [word for word in key.split() if len(word) < TRIGRAM_LENGTH]
        sql = f"SELECT fts.rowid AS id FROM {FTS_TABLE} AS fts WHERE {FTS_TABLE} MATCH %s"
        sql += "".join(" AND fts.search_text LIKE %s" for _word in short)
        return f"{sql} LIMIT {SEARCH_CANDIDATES}", [f"{{search_text}} : ({phrase})"] + [f"%{w}%" for w in short]

    def headwords_containing(self, key):
        """Terms whose French or English headword holds `key` (starts with it, for a key too short for
        trigrams), found through an index on every database."""
        if len(key) < TRIGRAM_LENGTH:
            return self.filter(Q(sort_key__startswith=key) | Q(sort_key_english__startswith=key))
        if connection.vendor == "postgresql":  # the trigram indexes serve LIKE '%key%'
            return self.filter(Q(sort_key__contains=key) | Q(sort_key_english__contains=key))
        match = "{sort_key sort_key_english} : " + _quoted(key)
        return self.filter(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))

    def typo_candidates(self, key):
        """[(id, sort_key, sort_key_english)] of the terms whose headwords share the most trigrams with
        `key`, from the index: what the typo pass measures, whatever the size of the lexicon."""
        if len(key) < TRIGRAM_LENGTH:
            return []
        if connection.vendor == "postgresql":
            similar = self.similar_headwords(key).values_list("pk", "sort_key", "sort_key_english")
            return list(similar[:TYPO_CANDIDATES])
        pieces = _pieces(key, allowed_edits(key))
        if pieces:
            # A headword within k edits of the key holds one of its k + 1 pieces unchanged (pigeonhole):
            # phrases of several trigrams, selective enough to need no ranking.
            match = "{sort_key sort_key_english} : (" + " OR ".join(_quoted(piece) for piece in pieces) + ")"
            sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {TYPO_CANDIDATES}"
        else:  # too short to cut: the headwords that share the most trigrams with it
            grams = dict.fromkeys(key[i:i + TRIGRAM_LENGTH] for i in range(len(key) - TRIGRAM_LENGTH + 1))
            match = "{sort_key sort_key_english} : (" + " OR ".join(_quoted(gram) for gram in grams) + ")"
            sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT {TYPO_CANDIDATES}"
        return list(self.filter(pk__in=RawSQL(sql, [match])).values_list("pk", "sort_key", "sort_key_english"))

    def similar_headwords(self, key):
        """PostgreSQL: terms with a headword close to `key` (pg_trgm's `%>`, served by the trigram indexes),
        closest first."""
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import TrigramWordSimilarity

        close = self.model.objects.order_by().filter(  # the whole table: see _postgresql_search
            Q(TrigramWordSimilar(F("sort_key"), Value(key))) | Q(TrigramWordSimilar(F("sort_key_english"), Value(key)))
        ).values("pk")[:SEARCH_CANDIDATES]
        return self.filter(pk__in=close).annotate(
            closeness=Greatest(TrigramWordSimilarity(Value(key), "sort_key"),
                               TrigramWordSimilarity(Value(key), "sort_key_english"))
        ).order_by("-closeness", "pk")

    def typo_matches(self, key):
        """{id: edits} of the terms whose French or English headword is a few typing mistakes from `key`."""
        if not allowed_edits(key):
            return {}
        rows = self.order_by().typo_candidates(key)
        found = close_matches(key, ((pk, name) for pk, *names in rows for name in dict.fromkeys(names)))
        return dict(sorted(found.items(), key=lambda item: item[1])[:TYPO_MAX_MATCHES])

    def starting_with(self, letter, *, lang="fr"):
        """The terms filed under `letter`: by English headword (French when none) on English pages."""
        if lang == "en":
            return self.filter(initial_english=letter.upper()).order_by("sort_key_english", "slug")
        return self.filter(initial=letter.upper())


class Term(TermContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publié")
        RETIRED = "retired", _("retiré")

    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_revision = models.OneToOneField(
        "lexique.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("révision publiée"),
    )
    # Rendered once, when a revision is approved; pages and exports never render it again.
    definition_html = models.TextField(_("définition (HTML)"), blank=True, editable=False)
    examples_html = models.TextField(_("exemples (HTML)"), blank=True, editable=False)
    notes_html = models.TextField(_("notes (HTML)"), blank=True, editable=False)
    domains = models.ManyToManyField("lexique.Domain", blank=True, related_name="terms", verbose_name=_("domaines"))
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="related_from", verbose_name=_("termes associés")
    )
    sort_key = models.CharField(_("clé de tri"), max_length=220, db_index=True, editable=False)
    initial = models.CharField(_("lettre"), max_length=1, db_index=True, editable=False)
    # English pages sort and browse by the English headword (the French one when there is none).
    sort_key_english = models.CharField(_("clé de tri (anglais)"), max_length=220, db_index=True, editable=False,
                                        default="")
    initial_english = models.CharField(_("lettre (anglais)"), max_length=1, db_index=True, editable=False,
                                       default="")
    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)
    # PostgreSQL's full-text document, kept by a trigger (lexique/search_index.py); unused elsewhere.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    first_published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("dernière approbation"), null=True, blank=True, db_index=True)
    retired_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "slug"]
        # Browsing walks these in order (keyset pages, counts by letter) without touching other rows.
        indexes = [
            # The id last, so that a page's ids are read from the index alone (an index-only scan).
            models.Index(fields=["sort_key", "slug", "id"], condition=Q(status="published"),
                         name="term_published_sorted"),
            models.Index(fields=["initial", "sort_key", "slug", "id"], condition=Q(status="published"),
                         name="term_published_initial"),
            models.Index(fields=["initial_english", "sort_key_english", "slug", "id"],
                         condition=Q(status="published"), name="term_published_initial_en"),
        ]
        permissions = [("moderate", _("Peut modérer les propositions"))]
        verbose_name = _("terme")
        verbose_name_plural = _("termes")

    def __str__(self):
        return self.headword_fr or self.slug

    def get_absolute_url(self):
        return reverse("lexique:term", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    def versions(self, first=None):
        """The content in each language that has a headword, `first` language first, for display."""
        order = sorted(LANGUAGES, key=lambda lang: lang != first)
        return [
            {
                "lang": lang,
                "headword": getattr(self, f"headword_{lang}"),
                "definition_html": getattr(self, f"definition_html_{lang}"),
                "examples": getattr(self, f"examples_{lang}"),
                "examples_html": getattr(self, f"examples_html_{lang}"),
                "notes": getattr(self, f"notes_{lang}"),
                "notes_html": getattr(self, f"notes_html_{lang}"),
                "synonyms": [s for s in self.synonyms or [] if s.get("lang") == lang],
            }
            for lang in order
            if getattr(self, f"headword_{lang}")
        ]

    def refresh_keys(self):
        """Recompute the normalised keys from the published copy."""
        self.sort_key = _normalize(self.headword_fr)[:220]
        self.initial = initial(self.sort_key)
        self.sort_key_english = _normalize(self.headword_en or self.headword_fr)[:220]
        self.initial_english = initial(self.sort_key_english)
        parts = [self.headword_fr, self.headword_en, self.definition_fr, self.definition_en]
        parts += [synonym.get("text", "") for synonym in self.synonyms or []]
        self.search_text = " ".join(_normalize(part) for part in parts if part)
