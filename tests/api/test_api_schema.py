"""The OpenAPI schema and its documentation, and schemathesis holding the API to that schema."""
import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from lexique import services
from lexique.services import tokens
from lexique.api.fields import NAME_FORMAT
from tests.support.factories import DomainFactory, UserFactory, content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def test_the_schema_is_openapi_3_and_lists_every_endpoint():
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/terms/", "/api/v1/terms/{slug}/", "/api/v1/terms/{slug}/revisions/", "/api/v1/terms/{slug}/proposals/",
        "/api/v1/domains/", "/api/v1/domains/{slug}/", "/api/v1/changes/", "/api/v1/proposals/",
        "/api/v1/proposals/{id}/approve/", "/api/v1/proposals/{id}/reject/", "/api/v1/proposals/{id}/request-changes/",
        "/api/v1/auth/token/",
    }
    terms = schema["paths"]["/api/v1/terms/"]["get"]
    assert {p["name"] for p in terms["parameters"]} >= {"q", "domain", "letter", "updated_since", "ordering", "lang",
                                                       "page", "page_size"}
    assert {"200", "304", "400", "429"} <= set(terms["responses"])
    approve = schema["paths"]["/api/v1/proposals/{id}/approve/"]["post"]
    assert "409" in approve["responses"] and "403" in approve["responses"]


def test_the_docs_are_served_from_our_own_static_files():
    # (Swagger UI only: drf-spectacular's Redoc page loads web fonts from Google.)
    for url in ("/api/v1/docs/",):
        response = APIClient().get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        html = response.content.decode()
        addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
        addresses += re.findall(r"""["'](https?://[^"']+)["']""", html)
        assert addresses, html
        for address in addresses:
            assert not address.startswith(("http://", "https://", "//")), address


# --- schemathesis ----------------------------------------------------------------------------

def _names():
    """Names as the API's schema describes them in words (format "name"), for schemathesis to send."""
    from django.core.exceptions import ValidationError

    from lexique.core.names import clean_name

    def acceptable(text):
        try:
            return bool(clean_name(text))
        except ValidationError:
            return False

    letters = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"))
    return st.text(alphabet=letters, min_size=1, max_size=60).filter(acceptable)


@pytest.fixture(scope="session")
def generated_schema():
    """The schema /api/v1/schema/ serves, from the same generator, as JSON has it; built once, when a
    test first asks for it (building it at import made every collection of the suite pay for it)."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


@pytest.fixture(scope="session")
def api_schema(generated_schema):
    loaded = schemathesis.openapi.from_dict(generated_schema)
    loaded.app = get_wsgi_application()  # requests go to the Django app in this process, test database included
    return loaded


schemathesis.openapi.format(NAME_FORMAT, _names())
# Loaded from the fixture when the test runs: schemathesis then checks each operation as a subtest,
# instead of generating the examples of every operation while pytest collects.
schema = schemathesis.pytest.from_fixture("api_schema")


def test_the_schema_under_test_is_the_one_the_api_serves(generated_schema):
    served = APIClient().get("/api/v1/schema/?format=json").json()
    assert served == generated_schema


@pytest.fixture
def write_headers(settings, db):
    """Data to work on, a moderator's token, and no throttling (schemathesis sends many requests)."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}
    moderator = UserFactory(moderator=True)
    domain = DomainFactory(slug="diffusion")
    other = publish_term(headword_fr="métadonnées", headword_en="metadata", moderator=moderator)
    publish_term(headword_fr="découvrabilité", domains=[domain.slug], related=[other.slug], moderator=moderator)
    services.propose_term(author=UserFactory(), content=content(headword_fr="en attente"))
    headers = {"Authorization": f"Token {tokens.create_token(moderator)[1]}"}
    # The real WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's own test client switches that off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield headers
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def node_id_for_schemathesis(request):
    """schemathesis 4.32 names each operation's subtest by rewriting `Node._nodeid`, which pytest 9.2
    no longer has (the node keeps `_id`): give it one to read. Drop this once schemathesis follows."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@schema.parametrize()
# Fixed examples (derandomize) so that CI is repeatable; raise max_examples locally to explore.
@hypothesis_settings(max_examples=25, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(HealthCheck))
def test_the_api_keeps_every_promise_of_its_schema(case, write_headers, node_id_for_schemathesis):
    case.call_and_validate(headers=write_headers)
