"""The sign-up page tells each mistake where it is, and ties the password rules to their field."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_mistake_is_listed_and_linked_to_its_field(client, contributor):
    response = client.post(reverse("lexique:signup"), {
        "username": contributor.username, "email": "nouvelle@example.org",
        "password1": "Une-phrase-longue-42", "password2": "Une-autre-phrase-43", "website": "", "started": "x",
    })
    summary = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S).group(0)
    assert 'href="#id_username"' in summary and 'href="#id_password2"' in summary
    assert summary.count("<li>") >= 3  # the name, the passwords and the form's timer


def test_the_password_rules_describe_the_password_field(client):
    page = client.get(reverse("lexique:signup")).content.decode()
    password = re.search(r'<input[^>]*name="password1"[^>]*>', page).group(0)
    assert 'aria-describedby="id_password1_helptext"' in password
    rules = re.search(r'<(\w+) class="help" id="id_password1_helptext">', page)
    assert rules and rules.group(1) == "div"  # the rules are a list: not inside a paragraph
