"""The main navigation leads to every page a reader or a moderator may need, in both languages."""
import re

import pytest

pytestmark = pytest.mark.django_db


def navigation(client, prefix: str = "") -> str:
    page = client.get(f"{prefix}/").content.decode()
    return re.search(r'<nav class="wrap main-nav".*?</nav>', page, re.S).group(0)


@pytest.mark.parametrize(("prefix", "editions"), [("", "Éditions"), ("/en", "Editions")])
def test_an_anonymous_reader_finds_the_editions_but_not_the_import(client, prefix, editions):
    nav = navigation(client, prefix)
    assert f'<a href="{prefix}/editions/">{editions}</a>' in nav
    assert "/moderation/import/" not in nav


@pytest.mark.parametrize(("prefix", "editions", "import_label"),
                         [("", "Éditions", "Importer"), ("/en", "Editions", "Import")])
def test_a_moderator_finds_the_editions_and_the_import_beside_moderation(client, moderator, prefix, editions,
                                                                         import_label):
    client.force_login(moderator)
    nav = navigation(client, prefix)
    assert f'<a href="{prefix}/editions/">{editions}</a>' in nav
    assert re.search(rf'/moderation/">[^<]+</a></li>\s*<li><a href="{prefix}/moderation/import/">{import_label}</a>',
                     nav)


def test_a_contributor_is_not_offered_the_import(client, contributor):
    client.force_login(contributor)
    nav = navigation(client)
    assert "/moderation/import/" not in nav and "/moderation/" not in nav


def test_the_editions_list_leads_a_moderator_to_publishing_and_no_one_else(client, moderator):
    assert "/moderation/editions/" not in client.get("/editions/").content.decode()
    client.force_login(moderator)
    assert 'href="/moderation/editions/"' in client.get("/editions/").content.decode()
