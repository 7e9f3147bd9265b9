"""What the services and the core tell a person reaches the window in Dutch, arguments filled in:
a permission refusal, a plant-file problem, a sign-in failure, an e-stop refusal, a command's answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hmi.core.alarms import Alarm, AlarmKey, AlarmKind, AlarmRefused, Shelve, transition
from hmi.core.clock import FakeClock
from hmi.core.domain import Role, Severity
from hmi.core.errors import ValidationError
from hmi.core.estop import EstopMachine, EstopRefused, EstopTiming, ResetRequested
from hmi.core.estop import Path as EstopPath
from hmi.core.permissions import Action, PermissionDenied, PermissionTable, Principal
from hmi.core.plant import PlantError, parse_plant
from hmi.services.auth import AuthService, AuthStatus
from hmi.services.commands import CommandRefused
from hmi.services.users import add_user
from hmi.storage.audit import HeadLog
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.ui.i18n import install_language, message_text, remove_language

PW = "correct horse battery"


@pytest.fixture
def dutch(qapp: object) -> Iterator[None]:
    assert install_language("nl") == "nl"
    yield
    remove_language()


def test_a_permission_refusal_reads_dutch(dutch: None) -> None:
    ana = Principal("ana", Role.OPERATOR, frozenset({"north"}))
    with pytest.raises(PermissionDenied) as caught:
        PermissionTable().require(ana, Action.EDIT_THRESHOLDS, "north")
    assert message_text(caught.value) == "operator ana mag dit niet: grenswaarden bewerken"
    assert str(caught.value) == "operator ana may not edit thresholds"  # logs and the audit trail stay English
    with pytest.raises(PermissionDenied) as caught:
        PermissionTable().require(Principal("tom", Role.TECHNICIAN, frozenset({"north"})), Action.VIEW, "south")
    assert message_text(caught.value) == "tom heeft geen toegang tot molen south"


def test_a_plant_file_problem_reads_dutch(dutch: None) -> None:
    with pytest.raises(PlantError) as caught:
        parse_plant({"schema_version": 1, "mills": [
            {"slug": "north", "name": "North", "capacity": -1,
             "sensors": [{"name": "B1", "type": "temperature", "eui": "A1B2C3D4E5F60001",
                          "thresholds": {"warning_min": 5.0, "warning_max": 3.5}}]},
        ]})
    capacity, limits = caught.value.problems
    assert (message_text(capacity.where), capacity.field, message_text(capacity.message)) == (
        "molen north", "capacity", "mag niet negatief zijn")
    assert message_text(limits.where) == "molen north / sensor B1"
    assert message_text(limits.message) == "warning_min (5) moet lager zijn dan warning_max (3.5)"
    assert message_text(caught.value) == (
        "2 probleem(en) in het installatiebestand; het eerste: molen north: capacity: mag niet negatief zijn")


def test_a_sign_in_failure_reads_dutch(dutch: None, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade(engine)
    head = HeadLog(tmp_path / "audit-head.log")
    add_user(engine, "ana", PW, Role.OPERATOR, head_log=head)
    auth = AuthService(engine, clock=FakeClock(), head_log=head, host="ws1")
    try:
        wrong = auth.sign_in("ana", "not the password")
        assert not wrong and wrong.message == "wrong username or password"
        assert message_text(wrong.message) == "onjuiste gebruikersnaam of onjuist wachtwoord"
        wait = auth.sign_in("ana", PW)  # an operator is never locked: each failure makes the next one wait
        assert wait.status is AuthStatus.WAIT
        assert message_text(wait.message) == "wacht 1 s voordat u het opnieuw probeert"
        with pytest.raises(ValidationError) as caught:
            auth.change_password("ana", PW, "short")
        assert message_text(caught.value) == "het wachtwoord moet minstens 12 tekens lang zijn"
    finally:
        engine.dispose()


def test_an_estop_refusal_reads_dutch(dutch: None) -> None:
    with pytest.raises(EstopRefused) as caught:
        EstopMachine("north", EstopTiming()).apply(ResetRequested(1.0, "R1", EstopPath.MQTT, "root", "checked"))
    assert message_text(caught.value) == "er is geen noodstop vergrendeld op molen north"
    refused = CommandRefused(caught.value.args[0], code="state", command="estop_reset", mill="north")  # the service's
    assert message_text(refused.reason) == message_text(refused) == "er is geen noodstop vergrendeld op molen north"


def test_an_alarm_refusal_translates_its_reason_inside_an_untranslated_frame(dutch: None) -> None:
    key = AlarmKey("north", "", AlarmKind.ESTOP)
    with pytest.raises(AlarmRefused) as caught:
        transition(Alarm(key, Severity.EMERGENCY), Shelve("ana", 10, "why"), 100.0)
    # "{alarm}: {reason}" reads the same in Dutch; its reason and the kind inside it do not
    assert message_text(caught.value) == f"{key}: een alarm van het type noodstop kan niet worden geparkeerd"
