"""JSON-LD under the strict CSP, in a real browser: read as data, never blocked, never run."""
import json


def test_json_ld_is_read_by_the_browser_without_any_csp_violation(browser, live_server, transactional_db):
    from tests.support.factories import publish_term

    term = publish_term(headword_fr="métadonnées", headword_en="metadata")
    context = browser.new_context(base_url=live_server.url)  # the policy enforced: no bypass here
    context.set_default_timeout(15000)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    # The DOM event too: a blocked script element reports itself there even when the console is quiet.
    page.add_init_script("document.addEventListener('securitypolicyviolation',"
                         " e => (window.__violations = window.__violations || []).push(e.violatedDirective))")
    found = {}
    for url in ("/", term.get_absolute_url(), "/en" + term.get_absolute_url()):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        texts = page.eval_on_selector_all('script[type="application/ld+json"]', "nodes => nodes.map(n => n.textContent)")
        assert len(texts) == 1, url
        found[url] = json.loads(texts[0])
        assert page.evaluate("window.__violations || []") == [], url
    context.close()
    assert violations == []
    assert found["/"]["@type"] == "DefinedTermSet"
    assert found[term.get_absolute_url()]["name"] == "métadonnées"
    assert found["/en" + term.get_absolute_url()]["name"] == "metadata"
