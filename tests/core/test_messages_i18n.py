"""Messages the layers below the UI hand to a person are `Text`: the same English as before, with a
literal template and named arguments the window translates (no Qt here: tests/core runs without it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hmi.core.alarms import Acknowledge, Alarm, AlarmKey, AlarmKind, AlarmRefused, Shelve, transition
from hmi.core.domain import Severity, Thresholds
from hmi.core.errors import ValidationError
from hmi.core.estop import EstopMachine, EstopRefused, EstopTiming, ResetRequested
from hmi.core.estop import Path as EstopPath
from hmi.core.passwords import PasswordPolicy
from hmi.core.permissions import Action, PermissionDenied, PermissionTable, Principal
from hmi.core.plant import PlantError, parse_plant
from hmi.core.sources import parse_source
from hmi.core.text import Text, template_of

ROOT = Path(__file__).resolve().parents[2]


def _text(value: object) -> Text:
    assert isinstance(value, Text), f"{value!r} is a {type(value).__name__}, not a Text"
    return value


def test_a_permission_refusal_keeps_its_english_template_and_arguments() -> None:
    ana = Principal("ana", "operator", frozenset({"north"}))
    decision = PermissionTable().check(ana, Action.EDIT_THRESHOLDS, "north")
    assert not decision
    assert decision.reason == "operator ana may not edit thresholds"
    template, args = template_of(_text(decision.reason))
    assert template == "{role} {user} may not {action}"
    assert args["user"] == "ana"
    assert template_of(_text(args["role"])) == ("operator", {})  # nested: translated with the sentence
    assert template_of(_text(args["action"])) == ("edit thresholds", {})
    with pytest.raises(PermissionDenied) as caught:
        PermissionTable().require(ana, Action.EDIT_THRESHOLDS, "north")
    assert caught.value.args[0] is caught.value.reason  # the Text itself, where message_text looks
    assert _text(caught.value.reason) == str(caught.value) == "operator ana may not edit thresholds"

    other = PermissionTable().check(ana, Action.VIEW, "south")
    assert other.reason == "ana has no access to mill south"
    assert template_of(_text(other.reason)) == ("{user} has no access to mill {mill}", {"user": "ana", "mill": "south"})


def test_a_plant_file_problem_names_where_and_what_as_text() -> None:
    with pytest.raises(PlantError) as caught:
        parse_plant({"schema_version": 1, "mills": [{"slug": "north", "name": "North", "capacity": -1}]})
    (problem,) = caught.value.problems
    assert str(problem) == "mill north: capacity: must not be negative"
    assert template_of(_text(problem.where)) == ("mill {mill}", {"mill": "north"})
    assert template_of(_text(problem.message)) == ("must not be negative", {})
    assert str(caught.value) == "1 problem(s) in plant file; first: mill north: capacity: must not be negative"
    assert _text(caught.value.args[0])


def test_validation_errors_keep_their_arguments_and_format_specs() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_source("modbus://plc1:502/hr/70000")
    assert caught.value.message == "'modbus://plc1:502/hr/70000': address 70000 outside 0..65535"
    template, args = template_of(_text(caught.value.args[0]))
    assert template == "{url!r}: address {address} outside 0..65535"
    assert args == {"url": "modbus://plc1:502/hr/70000", "address": 70000}

    ((field, message),) = Thresholds(warning_min=5.0, warning_max=3.5).problems()
    assert (field, message) == ("warning_min", "warning_min (5) must be below warning_max (3.5)")
    assert template_of(_text(message))[0] == "warning_min ({wmin:g}) must be below warning_max ({wmax:g})"

    assert PasswordPolicy().problems("short") == ["password must be at least 12 characters"]
    assert template_of(_text(PasswordPolicy().problems("short")[0])) == (
        "password must be at least {n} characters", {"n": 12})


def test_an_estop_refusal_is_text_naming_the_mill() -> None:
    m = EstopMachine("north", EstopTiming())
    with pytest.raises(EstopRefused) as caught:
        m.apply(ResetRequested(1.0, "R1", EstopPath.MQTT, "root", "checked"))
    assert str(caught.value) == "no e-stop is latched on mill north"
    assert template_of(_text(caught.value.args[0])) == ("no e-stop is latched on mill {mill}", {"mill": "north"})


def test_an_alarm_refusal_names_the_alarm_and_the_reason() -> None:
    key = AlarmKey("north", "A1B2C3D4E5F60001", AlarmKind.HIGH)
    with pytest.raises(AlarmRefused) as caught:
        transition(Alarm(key, Severity.WARNING), Acknowledge("ana"), 100.0)
    assert caught.value.message == f"{key}: nothing to acknowledge"
    template, args = template_of(_text(caught.value.args[0]))
    assert template == "{alarm}: {reason}" and args["alarm"] == str(key)
    assert template_of(_text(args["reason"])) == ("nothing to acknowledge", {})

    estop = AlarmKey("north", "", AlarmKind.ESTOP)
    with pytest.raises(AlarmRefused) as caught:
        transition(Alarm(estop, Severity.EMERGENCY), Shelve("ana", 10, "why"), 100.0)
    assert caught.value.message == f"{estop}: a emergency stop alarm cannot be shelved"


def test_every_message_template_below_the_ui_is_a_literal() -> None:
    """The catalogue tool only sees literal first arguments of Text(...) calls (packaging/translations.py)."""
    bad = []
    for path in sorted((ROOT / "hmi").rglob("*.py")):
        if (ROOT / "hmi" / "ui") in path.parents or path == ROOT / "hmi" / "core" / "text.py":
            continue  # the UI has Qt's tr(); text.py rebuilds a pickled Text from its template
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Text"
                    and not (node.args and isinstance(node.args[0], ast.Constant)
                             and isinstance(node.args[0].value, str))):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, f"Text(...) without a literal template: {bad}"
