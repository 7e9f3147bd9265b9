"""The language machinery: catalogues in step with the code and complete, the translator and locale
installed and removed, numbers and dates in the user's locale, messages from the layers below the UI
translated with their arguments, and the language remembered per workstation."""

from __future__ import annotations

import importlib.util
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings

from hmi.core.alarms import AlarmKind
from hmi.core.domain import MillStatus, Quality, Severity
from hmi.core.errors import ValidationError
from hmi.core.text import Text, template_of
from hmi.ui import i18n
from hmi.ui.domain_words import SEVERITY, word

ROOT = Path(__file__).resolve().parents[2]


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def dutch(qapp: object) -> Iterator[None]:
    assert i18n.install_language("nl") == "nl"
    yield
    i18n.remove_language()


def test_catalogues_match_the_code_are_complete_and_compiled() -> None:
    """Every tr()/translate()/QT_TRANSLATE_NOOP string of hmi/ui and every Text template below the
    UI is in a catalogue with a Dutch translation that keeps its placeholders, and the committed
    .qm is what the catalogues compile to (`packaging/translations.py check`)."""
    problems = _tool().check()
    assert problems == [], "\n".join(problems[:60]) + (f"\n... {len(problems) - 60} more" if len(problems) > 60 else "")


def test_every_ui_module_belongs_to_one_catalogue() -> None:
    tool = _tool()
    groups = {p.name: tool.group_of(p) for p in (ROOT / "hmi" / "ui").glob("*.py")}
    assert set(groups.values()) <= set(tool.GROUPS)
    assert groups["alarm_banner.py"] == "alarms" and groups["i18n.py"] == "common"


def test_dutch_is_installed_and_removed(dutch: None) -> None:
    assert i18n.current_language() == "nl"
    assert word(MillStatus.ERROR) == "Storing"
    assert word(Quality.BAD) == "Slecht"
    assert word(AlarmKind.STALE) == "communicatie verloren"
    assert SEVERITY[Severity.CRITICAL] == "Kritiek" and SEVERITY.source(Severity.CRITICAL) == "Critical"
    assert next(iter(SEVERITY.values())) == "Info" and len(SEVERITY) == 4
    i18n.remove_language()
    assert word(MillStatus.ERROR) == "Error" and i18n.current_language() == "en"


def test_numbers_and_times_follow_the_language(dutch: None) -> None:
    assert i18n.fmt_number(1234.567, 2) == "1234,57"  # decimal comma, no grouping for a process value
    assert i18n.fmt_number(-0.5, 1) == "-0,5"
    assert i18n.fmt_number(float("nan")) == "\u2014" and i18n.fmt_number(None) == "\u2014"
    assert i18n.fmt_int(12345) == "12.345"
    assert i18n.parse_number("12,5") == 12.5 and i18n.parse_number("12.5") == 12.5
    assert i18n.parse_number("abc") is None and i18n.parse_number("nan") is None
    stamp = 1_700_000_000.0
    assert "-" in i18n.fmt_date(stamp)  # dd-MM-yyyy
    assert i18n.fmt_time(stamp).count(":") == 2
    assert i18n.fmt_duration(7300) == "2 u"
    i18n.remove_language()
    assert i18n.fmt_number(1234.567, 2) == "1234.57"
    assert i18n.fmt_duration(7300) == "2 h"


def test_unknown_or_missing_catalogue_falls_back_to_english(qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.install_language("xx") == "en"
    monkeypatch.setattr(i18n, "catalogue_path", lambda lang: "/nonexistent/millwatch_nl.qm")
    assert i18n.install_language("nl") == "en"
    assert QLocale().language() != QLocale.Language.Dutch
    i18n.remove_language()


def test_text_keeps_its_template_and_is_a_plain_english_string() -> None:
    t = Text("user {name!r} already exists", name="bob")
    assert t == "user 'bob' already exists" and isinstance(t, str)
    assert template_of(t) == ("user {name!r} already exists", {"name": "bob"})
    again = pickle.loads(pickle.dumps(t))
    assert isinstance(again, Text) and template_of(again) == template_of(t)
    assert type(t + "!") is str


def test_message_text_translates_templates_and_leaves_unknown_ones(dutch: None) -> None:
    tool = _tool()
    translated = [
        (m.findtext("source"), m.find("translation").text)  # type: ignore[union-attr]
        for m in tool.messages_of(tool.ts_path("messages")).values()
        if tool.is_finished(m) and "{" in (m.findtext("source") or "")
        and m.findtext("translation") != m.findtext("source")  # "{alarm}: {reason}" reads the same in Dutch
    ]
    if translated:  # a real template of the services, with its arguments filled in
        source, dutch_text = translated[0]
        assert source is not None and dutch_text is not None
        fields = {f.split("}")[0].split("!")[0].split(":")[0] for f in source.split("{")[1:]}
        args = {f: 7 for f in fields}
        shown = i18n.message_text(Text(source, **args))
        assert shown == dutch_text.format(**args) != source.format(**args)
        shown = i18n.message_text(ValidationError("x", Text(source, **args)))
        assert shown == dutch_text.format(**args)
    unknown = Text("no such template {n}", n=3)
    assert i18n.message_text(unknown) == "no such template 3"
    assert i18n.message_text(RuntimeError("plain")) == "plain"
    assert i18n.message_text("plain text") == "plain text"


def test_a_translation_with_a_foreign_placeholder_shows_the_english(dutch: None, monkeypatch) -> None:
    monkeypatch.setattr(QCoreApplication, "translate",
                        staticmethod(lambda ctx, text, *a: "Gebruiker {wie} bestaat al"))
    assert i18n.message_text(Text("user {name} exists", name="bob")) == "user bob exists"


def test_the_language_is_a_workstation_setting(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    assert i18n.saved_language(settings) == "en"
    i18n.save_language(settings, "nl")
    assert i18n.saved_language(QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)) == "nl"
    settings.setValue(i18n.LANGUAGE_KEY, "klingon")
    assert i18n.saved_language(settings) == "en"
    with pytest.raises(ValueError):
        i18n.save_language(settings, "klingon")
    assert i18n.saved_language(None) == "en"
