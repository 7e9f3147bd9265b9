"""The user's language and locale: which translation is loaded, and how numbers and times are written.

Every user-visible string of the UI goes through Qt's translation: `self.tr("...")` inside a QObject
class (lupdate takes the enclosing class as the context), `QCoreApplication.translate("Context",
"...")` elsewhere, and `QT_TRANSLATE_NOOP("Context", "...")` for module-level tables that are
translated where they are shown (`tr_noop_text`). Placeholders are `{name}` filled with
`.format(...)` after translation, so a translator can move them. The catalogues are Qt Linguist
files in `resources/i18n/nl/*.ts` (one per group of screens, see packaging/translations.py), compiled
into `resources/i18n/millwatch_nl.qm`.

The language is a workstation setting (QSettings `ui/language`, Session > Language) read once at
start, before the first widget exists: Qt widgets fetch their texts when they are built, so a switch
takes effect at the next start (the menu says so). `millwatch --language nl` overrides it for one
run. Numbers and times follow the language's locale (Dutch: decimal comma, 24 h, dd-MM-yyyy);
English takes the system's locale when that is an English one, else en_GB.

Messages that come from the layers below the UI (services, core) are English `hmi.core.text.Text`
strings that keep their template and arguments; `message_text` shows them in the user's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTimeZone,
    QTranslator,
)
from PySide6.QtWidgets import QFileDialog

from hmi.core.text import Text, template_of
from hmi.ui.resources import resource_path

LANGUAGE_KEY = "ui/language"
DEFAULT_LANGUAGE = "en"
# code -> the language's own name (a language menu lists each in its own words).
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands"}
MESSAGES_CONTEXT = "Messages"

_installed: list[QTranslator] = []
_numbers: QLocale | None = None  # the default locale for process values (see _number_locale)
FileDialog = QFileDialog


def saved_language(settings: QSettings | None) -> str:
    """The language this workstation chose (the default when none or an unknown one was saved)."""
    if settings is None:
        return DEFAULT_LANGUAGE
    value = settings.value(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def save_language(settings: QSettings, language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
    settings.setValue(LANGUAGE_KEY, language)
    settings.sync()


def locale_for(language: str) -> QLocale:
    """The locale numbers and dates are written in for `language`."""
    if language == "nl":
        return QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
    system = QLocale.system()
    if system.language() == QLocale.Language.English:
        return system
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def catalogue_path(language: str) -> str:
    return str(resource_path("i18n", f"millwatch_{language}.qm"))


def install_language(language: str, app: QCoreApplication | None = None) -> str:
    """Load `language`'s catalogues (ours and Qt's own, for standard buttons and dialogs) into the
    application and make its locale the default. Returns the language in force ("en" when the
    catalogue could not be loaded: a missing file must never stop the app)."""
    app = app if app is not None else QCoreApplication.instance()
    remove_language(app)
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _set_default_locale(locale_for(language))
    if language == DEFAULT_LANGUAGE or app is None:
        return language
    ours = QTranslator(app)
    if not ours.load(catalogue_path(language)):
        ours.deleteLater()
        _set_default_locale(locale_for(DEFAULT_LANGUAGE))
        return DEFAULT_LANGUAGE
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    else:
        qt.deleteLater()
    return language


def remove_language(app: QCoreApplication | None = None) -> None:
    """Back to the source language (English) and its locale."""
    app = app if app is not None else QCoreApplication.instance()
    while _installed:
        t = _installed.pop()
        if app is not None:
            app.removeTranslator(t)
        t.deleteLater()
    _set_default_locale(locale_for(DEFAULT_LANGUAGE))


def _set_default_locale(locale: QLocale) -> None:
    global _numbers
    QLocale.setDefault(locale)
    _numbers = None


def current_language() -> str:
    return "nl" if QLocale().language() == QLocale.Language.Dutch else DEFAULT_LANGUAGE


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`QCoreApplication.translate` (here so modules without a QObject have one short import)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def tr_noop_text(context: str, text: str) -> str:
    """A string marked with QT_TRANSLATE_NOOP(context, text) where it was defined, translated now."""
    return QCoreApplication.translate(context, text)


K = TypeVar("K")


class TrMap(Mapping[K, str]):
    """A module-level table of labels marked with QT_TRANSLATE_NOOP, translated each time a label is
    read: modules are imported before the translator is installed, so a plain dict would keep the
    English. Reads like the dict it replaces (`LABELS[key]`, `.get`, `.values()`, `.items()`).

        PRIORITY_LABELS = TrMap("AlarmList", {Severity.INFO: QT_TRANSLATE_NOOP("AlarmList", "Info")})
    """

    def __init__(self, context: str, labels: Mapping[K, str]) -> None:
        self.context = context
        self._labels = dict(labels)

    def __getitem__(self, key: K) -> str:
        return QCoreApplication.translate(self.context, self._labels[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def source(self, key: K) -> str:
        """The English label."""
        return self._labels[key]


def message_text(message: object) -> str:
    """A message from the services or the core in the user's language.

    `Text` keeps its English template and arguments: the template is translated (context
    "Messages") and filled with the arguments. An exception shows its first `Text` argument, or
    its string. Anything else is shown as it is."""
    if isinstance(message, BaseException):
        for arg in message.args:
            if isinstance(arg, Text):
                return message_text(arg)
        return str(message)
    if isinstance(message, Text):
        template, args = template_of(message)
        translated = QCoreApplication.translate(MESSAGES_CONTEXT, template)
        if translated == template and not any(isinstance(v, Text) for v in args.values()):
            return str(message)  # nothing to translate ("{alarm}: {reason}" still translates its reason)
        try:
            return translated.format(**{k: _localised(v) for k, v in args.items()})
        except (KeyError, IndexError, ValueError):
            return str(message)  # a translation with a placeholder the template lacks: show the English
    return str(message)


def _localised(value: object) -> object:
    if isinstance(value, Text):
        return message_text(value)
    return value


def fmt_number(value: float | int | None, decimals: int = 1, *, missing: str = "\u2014") -> str:
    """`value` with `decimals` decimals in the user's locale (decimal comma in Dutch), with the
    locale's group separators left out (a process value is not an amount of money)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return missing
    loc = _number_locale()
    if isinstance(value, int) and decimals == 0:
        return loc.toString(value)
    return loc.toString(float(value), "f", decimals)


def _number_locale() -> QLocale:
    """The default locale without group separators, made once per language: values are formatted on
    the refresh path (every table cell, every schematic value), where building a QLocale per value
    costs twice the formatting."""
    global _numbers
    if _numbers is None:
        _numbers = QLocale()
        _numbers.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return _numbers


def fmt_int(value: int) -> str:
    """A count, with the locale's group separator (12,345 / 12.345)."""
    return QLocale().toString(int(value))


def parse_number(text: str) -> float | None:
    """A number typed in the user's locale (or with a point): None when it is not a number."""
    text = text.strip()
    if not text:
        return None
    value, ok = QLocale().toDouble(text)
    if ok and math.isfinite(value):
        return value
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _qdatetime(epoch_s: float) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(epoch_s * 1000), QTimeZone.systemTimeZone())


def fmt_datetime(epoch_s: float | None, *, seconds: bool = True, missing: str = "\u2014") -> str:
    """Date and time of an epoch in the user's locale (local time zone, 24 h where the locale is)."""
    if epoch_s is None or not math.isfinite(epoch_s):
        return missing
    loc = QLocale()
    fmt = loc.dateFormat(QLocale.FormatType.ShortFormat) + " " + _time_format(loc, seconds)
    return loc.toString(_qdatetime(epoch_s), fmt)


def fmt_time(epoch_s: float | None, *, seconds: bool = True, missing: str = "\u2014") -> str:
    """Time of day of an epoch in the user's locale."""
    if epoch_s is None or not math.isfinite(epoch_s):
        return missing
    loc = QLocale()
    return loc.toString(_qdatetime(epoch_s), _time_format(loc, seconds))


def fmt_date(epoch_s: float | None, *, missing: str = "\u2014") -> str:
    if epoch_s is None or not math.isfinite(epoch_s):
        return missing
    loc = QLocale()
    return loc.toString(_qdatetime(epoch_s), loc.dateFormat(QLocale.FormatType.ShortFormat))


def _time_format(loc: QLocale, seconds: bool) -> str:
    fmt = loc.timeFormat(QLocale.FormatType.ShortFormat)
    if seconds and "ss" not in fmt and "mm" in fmt:
        fmt = fmt.replace("mm", "mm:ss", 1)
    return fmt


def fmt_duration(seconds: float) -> str:
    """A short age or duration ("4 s", "12 min", "3 h", "2 d"), in the user's language."""
    s = max(0.0, float(seconds))
    if s < 60:
        return QCoreApplication.translate("Units", "{n} s").format(n=int(s))
    if s < 3600:
        return QCoreApplication.translate("Units", "{n} min").format(n=int(s // 60))
    if s < 86400:
        return QCoreApplication.translate("Units", "{n} h").format(n=int(s // 3600))
    return QCoreApplication.translate("Units", "{n} d").format(n=int(s // 86400))


def localise_file_dialog(dialog: FileDialog) -> None:
    """Qt's own widget-based file dialog, completed in the user's language: Qt's Dutch catalogue
    lacks the labels with accelerators ("&Look in:", "Files of &type:"), so they are set from ours."""
    label = QFileDialog.DialogLabel
    dialog.setLabelText(label.LookIn, QCoreApplication.translate("FileDialog", "&Look in:"))
    dialog.setLabelText(label.FileName, QCoreApplication.translate("FileDialog", "File &name:"))
    dialog.setLabelText(label.FileType, QCoreApplication.translate("FileDialog", "Files of &type:"))


def language_names(codes: Iterable[str] = LANGUAGES) -> list[tuple[str, str]]:
    return [(c, LANGUAGES[c]) for c in codes]
