"""User-facing messages that can be shown in the user's language.

The layers below the UI speak English (logs, the audit trail and the command line stay English), but
what they tell a user must reach the screen translated. `Text("user {name!r} already exists",
name=n)` is an ordinary `str` holding the English sentence, so logs, exceptions and equality keep
working, and it also keeps its template and arguments: the UI translates the template (context
"Messages" in the Qt catalogue; `packaging/translations.py` collects every literal `Text(...)`
template of hmi/ into `resources/i18n/nl/messages.ts`) and fills it in the user's language.

The template is a `str.format` template with named fields only; it must be a string literal at the
call, or the extractor cannot see it.
"""

from __future__ import annotations

from typing import Any


class Text(str):
    """An English message that remembers its template and named arguments."""

    _template: str
    _args: dict[str, Any]

    def __new__(cls, template: str, /, **args: Any) -> Text:
        self = super().__new__(cls, template.format(**args) if args else template)
        self._template = template
        self._args = dict(args)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (multiprocessing, queues) as a Text again
        return (_rebuild, (self._template, self._args))

    def __add__(self, other: str) -> str:  # a joined sentence is plain English again
        return str.__add__(str(self), other)


def _rebuild(template: str, args: dict[str, Any]) -> Text:
    return Text(template, **args)


def template_of(text: Text) -> tuple[str, dict[str, Any]]:
    """(template, arguments) of a Text."""
    return text._template, dict(text._args)
