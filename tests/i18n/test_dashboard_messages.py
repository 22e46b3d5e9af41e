"""The dashboard's messages come from the gettext catalogs: found in its page and scripts,
translated in Russian and Kazakh, and served to the browser as JSON."""

from __future__ import annotations

import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kazree.api import problems
from kazree.web import install_dashboard
from kazree.web.messages import STATIC, dashboard_catalog, dashboard_messages, extract_html

TRANSLATED = ("ru", "kk")
PLURAL_FORMS = {"ru": 3, "kk": 2}
CALL = re.compile(r"\btn?\(\s*\"((?:[^\"\\]|\\.)*)\"")


def html_messages(page: str) -> list[str]:
    found = extract_html(io.BytesIO(page.encode("utf-8")), (), (), {})
    return [message for _, _, message, _ in found]


def test_the_page_and_scripts_hold_the_dashboards_labels() -> None:
    messages = dashboard_messages()
    singular = {m if isinstance(m, str) else m[0] for m in messages}
    assert {"Scenarios", "Exchange", "Language", "Skip to content"} <= singular  # navigation
    assert "Price ({currency}/kg)" in singular  # a label with a slot
    assert "Facilities table" in singular  # an aria-label
    assert "Done: {scenarios}. Results below." in singular  # a script's sentence
    assert ("{shown} of {n} facility", "{shown} of {n} facilities") in messages  # a count
    assert len(messages) > 150


def test_every_message_written_in_a_script_is_extracted() -> None:
    """Babel's JavaScript extractor skips a t() nested inside another t()'s arguments: each
    literal passed to t() or tn() must be among the extracted messages."""
    singular = {m if isinstance(m, str) else m[0] for m in dashboard_messages()}
    for script in sorted(STATIC.glob("*.js")):
        for literal in CALL.findall(script.read_text(encoding="utf-8")):
            assert literal in singular, f"{script.name}: t({literal!r}) is not extracted"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_dashboard_message_is_translated(lang: str) -> None:
    served = dashboard_catalog(lang)
    for message in dashboard_messages():
        if isinstance(message, str):
            text = served.get(message)
            assert isinstance(text, str), message
            assert text.strip(), message
        else:
            forms = served.get(message[0])
            assert isinstance(forms, list), message
            assert len(forms) == PLURAL_FORMS[lang], message
            assert all(form.strip() for form in forms), message


def test_html_labels_text_attributes_and_slots() -> None:
    page = """<nav aria-label="Views" data-i18n-attrs="aria-label">
      <button data-i18n>  Scenarios
      </button>
      <h2 data-i18n="Order book {instrument}">Order book <span data-slot="instrument"></span></h2>
      <p>not marked</p></nav>"""
    assert html_messages(page) == ["Views", "Scenarios", "Order book {instrument}"]
    with pytest.raises(ValueError, match=r"line 1: <span> inside a data-i18n element"):
        html_messages("<h2 data-i18n>Order book <span></span></h2>")


def test_the_service_serves_the_messages_of_a_language() -> None:
    app = FastAPI()
    problems.install(app)
    install_dashboard(app)
    client = TestClient(app)
    ru = client.get("/web/i18n/ru.json")
    assert ru.status_code == 200
    body = ru.json()
    assert body["lang"] == "ru"
    assert body["messages"]["Scenarios"] == "Сценарии"
    assert body["messages"]["{shown} of {n} facility"] == [
        "{shown} из {n} объекта",
        "{shown} из {n} объектов",
        "{shown} из {n} объектов",
    ]
    assert "in force" not in body["messages"]  # the CLI's messages stay out
    assert client.get("/web/i18n/en.json").json() == {"lang": "en", "messages": {}}
    unknown = client.get("/web/i18n/fr.json")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "language 'fr': no catalog (allowed: en, ru, kk)"
