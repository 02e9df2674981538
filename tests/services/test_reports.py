"""The rules of errors reported without an account, whoever calls them: checked before anything is written or
counted, closed once, by a moderator only."""
import pytest

from lexique import services
from lexique.models import ErrorReport
from tests.support.factories import publish_term

pytestmark = pytest.mark.django_db


def test_bad_input_writes_nothing_and_spends_none_of_the_clients_reports(settings):
    settings.ERROR_REPORTS_PER_CLIENT_PER_HOUR = 1
    term = publish_term()
    for message, email in (("", ""), ("x" * 2001, ""), ("Une coquille.", "pas-une-adresse"),
                           ("Un \x00 caractère nul.", "")):
        with pytest.raises(services.ValidationError):
            services.report_error(term=term, message=message, email=email, client="192.0.2.1")
    assert ErrorReport.objects.count() == 0
    report = services.report_error(term=term, message="  Une coquille.  ", client="192.0.2.1", language="xx")
    assert (report.message, report.language, report.version) == ("Une coquille.", "fr", 1)
    with pytest.raises(services.RateLimited):
        services.report_error(term=term, message="Une autre.", client="192.0.2.1")


def test_only_a_moderator_closes_a_report_and_only_once(contributor, moderator):
    report = services.report_error(term=publish_term(), message="Une coquille.", client="192.0.2.2")
    with pytest.raises(services.PermissionDenied):
        services.handle_report(report, by=contributor, answer="Non.")
    services.handle_report(report, by=moderator, answer="Corrigé.")
    with pytest.raises(services.WorkflowError):
        services.handle_report(report, by=moderator, answer="Encore.")
    report.refresh_from_db()
    assert (report.answer, report.handled_by) == ("Corrigé.", moderator)
