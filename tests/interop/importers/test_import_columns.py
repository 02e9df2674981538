"""Columns another tool named: recognised by their common names (either language, case and accents ignored), shown
in the preview in French and English, and read as the moderator says, in a plain form (no JavaScript)."""
import re

import pytest
from django.urls import reverse

from lexique.interop.importers import read_entries
from lexique.interop.importers.readers import column_readings
from lexique.models import Domain, Revision
from tests.support.helpers import upload

pytestmark = pytest.mark.django_db

GLOSSARY = ("TERME;English;DÉFINITION;Domaine;Synonymes;Remarques;Español\r\n"
            "billetterie;ticketing;Vente des billets.;Création;guichet;Mot courant.;taquilla\r\n"
            "captation;recording;Enregistrement d'un spectacle.;Création;;;grabación\r\n").encode("utf-8")


def test_common_names_are_recognised_whatever_their_case_accents_or_language():
    readings = {reading.name: reading.field for reading in column_readings(GLOSSARY, "csv")}
    assert readings == {"TERME": "headword_fr", "English": "headword_en", "DÉFINITION": "definition_fr",
                        "Domaine": "domain_names_fr", "Synonymes": "synonyms_admitted_fr", "Remarques": "notes_fr",
                        "Español": "Español"}


def test_the_moderators_reading_of_the_columns_is_followed():
    entries = read_entries(GLOSSARY, "csv", {5: "notes_en", 6: ""})
    first = entries[0].content
    assert (first["headword_fr"], first["headword_en"], first["notes_en"], first["notes_fr"]) == (
        "billetterie", "ticketing", "Mot courant.", "")
    assert first["synonyms"] == [{"text": "guichet", "lang": "fr", "status": "admitted"}]
    # A domain named in words is the site's domain of that name, else one made with it.
    assert first["domains"] == ["creation"] and entries[0].domain_names["creation"].name_fr == "Création"


def test_the_preview_shows_the_columns_in_both_languages_and_the_moderator_changes_them(client, moderator):
    client.force_login(moderator)
    url = reverse("lexique:import")
    refused = client.post(url, {"fichier": upload(GLOSSARY, "glossaire.csv"), "mode": "proposals", "apercu": "1"})
    page = refused.content.decode()
    # An unknown column that holds something: the file is refused, and the page asks what it holds.
    assert refused.status_code == 400 and "Colonnes inconnues : Español" in page
    assert 'name="colonne-6"' in page and "colonne inconnue" in page
    assert "Définition (français) / Definition (French)" in page
    digest = re.search(r'name="empreinte" value="([0-9a-f]{64})"', page).group(1)
    kept = {"empreinte": digest, "format": "csv", "nom": "glossaire.csv", "mode": "proposals",
            "colonne-5": "notes_en", "colonne-6": "-"}
    preview = client.post(url, {**kept, "apercu": "1"})
    shown = preview.content.decode()
    assert preview.status_code == 200 and "2 nouveaux termes" in shown
    # The preview keeps the moderator's choice, selected, for the import that follows.
    assert re.search(r'<option value="notes_en" selected>', shown)
    done = client.post(url, {**kept, "importer": "1"})
    assert done.status_code == 200 and "Import terminé" in done.content.decode()
    proposal = Revision.objects.get(headword_fr="billetterie")
    assert proposal.notes_en == "Mot courant." and not proposal.notes_fr
    assert Domain.objects.filter(name_fr="Création").exists()
