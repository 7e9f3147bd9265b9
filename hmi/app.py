"""Composition root: config -> storage, drivers, services -> ui; ordered start and stop.

The only place that wires layers together. Qt is imported only when a window is shown, so the
collector and the simulator run headless.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from hmi.core.broker import parse_broker_url
from hmi.core.domain import Role
from hmi.core.errors import UserFacingError, ValidationError
from hmi.core.link_diagnostics import LinkHistory
from hmi.core.plant import Plant, PlantError
from hmi.runtime import Runtime, RuntimeConfig
from hmi.services.alarm_service import AlarmFeed
from hmi.storage.database import default_data_dir

log = logging.getLogger(__name__)
DEMO_PASSWORD = "flour-demo-2026"  # printed on purpose: demo database only
DEMO_USERS = (
    ("admin", Role.ADMIN),
    ("operator", Role.OPERATOR),
    ("technician", Role.TECHNICIAN),
    ("viewer", Role.VIEWER),
)


def demo_plant_path() -> Path:
    from importlib.resources import as_file, files

    with as_file(files("hmi.resources") / "plants" / "demo.toml") as p:
        return Path(p)


def _cli_error(message: str) -> Exception:
    return UserFacingError(message)


def _load_plant(path: Path) -> Plant:
    from hmi.services.plant_io import read_plant_file

    try:
        return read_plant_file(path)
    except PlantError as exc:
        raise _cli_error(f"{path}: {len(exc.problems)} problem(s): {exc.problems[0]}") from None


def _prepare_database(url: str | None, plant: Plant):  # type: ignore[no-untyped-def]
    """Migrate, then apply the plant (idempotent) so every sensor has its id for history."""
    from sqlalchemy.exc import SQLAlchemyError

    from hmi.config import with_database_password
    from hmi.storage.database import DatabaseUrlError, make_engine, resolve_db_url, safe_url
    from hmi.storage.migrate import backup_before_upgrade, upgrade
    from hmi.storage.plant_repo import PlantConflict, apply_plant

    resolved = resolve_db_url(url)
    try:
        engine = make_engine(with_database_password(resolved))
        backup = backup_before_upgrade(engine)
        if backup:
            log.info("database copied to %s before migrating it", backup)
        upgrade(engine)
        report = apply_plant(engine, plant)
    except DatabaseUrlError as exc:
        raise _cli_error(str(exc)) from None
    except PlantConflict as exc:
        raise _cli_error(f"plant conflicts with the database: {exc.problems[0]}") from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise _cli_error(f"database {safe_url(resolved)} unreachable: {reason}") from None
    if report.changed:
        log.info("plant applied: %d created, %d updated", len(report.created), len(report.updated))
    return engine


def _broker(url: str | None):  # type: ignore[no-untyped-def]
    if not url:
        return None, None
    try:
        broker = parse_broker_url(url)
    except ValidationError as exc:
        raise _cli_error(exc.message) from None
    if not broker.username:
        return broker, None
    from hmi.storage.secrets import get_secret  # keyring: only for a broker that signs in

    return broker, get_secret(broker.keyring_key)


# -- millwatch collect ----------------------------------------------------------------------------------
def _settings():  # type: ignore[no-untyped-def]
    from hmi.config import ConfigError, load_settings

    try:
        return load_settings()
    except ConfigError as exc:
        raise _cli_error(str(exc)) from None


def run_collector(args: argparse.Namespace) -> int:
    from hmi.config import effective_broker_url, effective_database_url

    settings = _settings()
    plant = _load_plant(args.plant)
    broker, password = _broker(effective_broker_url(args.broker, settings))
    engine = _prepare_database(effective_database_url(args.db, settings), plant)
    cfg = RuntimeConfig(
        plant=plant,
        engine=engine,
        broker=broker,
        broker_password=password,
        client_id=args.client_id or f"millwatch-collector-{socket.gethostname()}",
        spill_path=default_data_dir() / "spill" / "collector.bin",
    )
    runtime = Runtime(cfg)
    stop = threading.Event()

    def _on_signal(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping after flushing", signum)
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    runtime.start()
    log.info("collector started: %d mills, %d sensors", len(plant.mills), len(plant.sensors()))
    while not stop.wait(args.status_interval):
        log.info("status %s", runtime.status_line())
    clean = runtime.stop()
    log.info("status %s", runtime.status_line())
    log.info("collector stopped%s", "" if clean else " with rows left in the spill file")
    return 0


# -- millwatch simulate -----------------------------------------------------------------------------------
def run_simulator(args: argparse.Namespace) -> int:
    from hmi.core.simulation import Faults
    from hmi.services.simulator import Simulator

    plant = _load_plant(args.plant)
    try:
        faults = Faults.parse(args.faults)
    except ValueError as exc:
        raise _cli_error(str(exc)) from None
    broker, password = _broker(args.broker)
    sim = Simulator(
        plant,
        broker_url=args.broker if broker else None,
        modbus_host=args.modbus_host,
        modbus_port=args.modbus_port,
        faults=faults,
        speed=args.speed,
        broker_password=password,
    )
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sim.start()
    log.info("simulating %d sensors; Ctrl+C to stop", len(plant.sensors()))
    stop.wait()
    sim.stop()
    return 0


# -- the app --------------------------------------------------------------------------------------------------
def _ensure_demo_users(engine, plant: Plant) -> None:  # type: ignore[no-untyped-def]
    """The four demo accounts, each with every demo mill (demo databases of older versions get
    their mills added)."""
    from hmi.services.users import add_user
    from hmi.storage.users_repo import get_user, set_user_mills

    slugs = [m.slug for m in plant.mills]
    for name, role in DEMO_USERS:
        mills = None if role is Role.ADMIN else slugs
        try:
            add_user(engine, name, DEMO_PASSWORD, role, display_name=f"Demo {role.value}", actor="demo", mills=mills)
        except ValidationError as exc:
            if "already exists" not in exc.message:
                raise
            with engine.begin() as conn:
                record = get_user(conn, name)
                if record is not None and mills and not record.info.mills:
                    set_user_mills(conn, record.info.id, mills)


def _check_display(args: argparse.Namespace) -> None:
    """Fail with one clear line instead of Qt's abort when there is no screen to draw on."""
    if os.environ.get("QT_QPA_PLATFORM") or os.name == "nt" or os.uname().sysname == "Darwin":
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    if args.screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
        return
    raise UserFacingError("no display (DISPLAY is not set): run on a desktop, or under `xvfb-run -a`")


def run_app(args: argparse.Namespace) -> int:
    _check_display(args)
    links = None
    settings = None
    if args.demo:
        from hmi.services.demo import DemoLinks

        plant = _load_plant(demo_plant_path())
        workdir = default_data_dir() / "demo"
        if DemoLinks.available():
            links = DemoLinks(plant, workdir)
            plant = links.plant
        else:
            log.warning("mosquitto not installed: the demo runs on the built-in sim:// driver instead of MQTT/Modbus")
        db = args.db or f"sqlite:///{workdir / 'demo.sqlite'}"
        engine = _prepare_database(db, plant)
        _ensure_demo_users(engine, plant)
        from hmi.services.demo_history import backfill_demo_history

        backfill_demo_history(engine, plant)  # the hours before this run: trends have a past at once
        print("Millwatch demo plant. Demo logins (demo database only):")
        for name, role in DEMO_USERS:
            print(f"  {name:<11} {DEMO_PASSWORD:<18} {role.value}")
        if links is not None:
            links.start()
        broker, password = _broker(links.broker_url if links is not None else None)
        cfg = RuntimeConfig(
            plant=plant,
            engine=engine,
            broker=broker,
            broker_password=password,
            client_id=f"millwatch-demo-{socket.gethostname()}",
            simulate_all=links is None,
            spill_path=workdir / "spill.bin",
        )
        title = "Millwatch HMI — demo plant"
    else:
        from hmi.config import effective_broker_url, effective_database_url, needs_setup
        from hmi.storage.plant_repo import load_plant

        settings = _settings()
        if args.setup or needs_setup(args.db):
            from hmi.ui.wizard import run_setup_wizard

            settings = run_setup_wizard()
            if settings is None:
                raise _cli_error("setup cancelled: start again to finish it, or pass --db URL")
        engine = _prepare_database(effective_database_url(args.db, settings), Plant())
        plant = load_plant(engine)
        broker, password = _broker(effective_broker_url(args.broker, settings))
        cfg = RuntimeConfig(
            plant=plant,
            engine=engine,
            broker=broker,
            broker_password=password,
            client_id=f"millwatch-hmi-{socket.gethostname()}",
            simulate_all=bool(settings and settings.simulate),
            spill_path=default_data_dir() / "spill" / "hmi.bin",
        )
        title = "Millwatch HMI"
    runtime = Runtime(cfg)
    workstation = Workstation(engine, host=socket.gethostname())
    estop = _estop_service(plant, workstation, broker, password, engine, runtime)
    commands, sensor_config = _command_services(plant, workstation, broker, password, engine, estop, runtime)
    ui_stops: list = []  # UI parts with threads of their own, stopped when the event loop ends

    link_history = LinkHistory()
    runtime.add_link_listener(link_history.on_link)  # before start: every link event is counted

    def link_snapshot():  # type: ignore[no-untyped-def]  # on the diagnostics panel's worker
        drivers = dict(runtime.drivers)
        modbus, mqtt = drivers.get("modbus"), drivers.get("mqtt")
        return link_history.snapshot(
            modbus=modbus.diagnostics() if modbus is not None else {},
            message_counts={mqtt.link_name: mqtt.messages} if mqtt is not None else {},
        )

    def on_started(bridge):  # type: ignore[no-untyped-def]
        runtime.add_readings_listener(bridge.submit)
        runtime.add_link_listener(lambda n, s, d: bridge.submit_link(n, s.value, d))
        if runtime.alarms is not None:
            runtime.alarms.add_listener(bridge.submit_alarms)  # this instance evaluates: no polling delay
        feed = AlarmFeed(engine, bridge.submit_alarms)  # and what other workstations change
        runtime.start()
        feed.start()
        estop.start()
        commands.start()

        def shutdown() -> None:
            for stop_ui in ui_stops:
                stop_ui()
            commands.stop()
            estop.stop()
            feed.stop()
            runtime.stop()
            if links is not None:
                links.stop()
            workstation.close()

        return shutdown

    from hmi.services.overview import mill_overview
    from hmi.services.readings import ReadingsQuery
    from hmi.services.retention import RetentionSettings

    def trend_history():  # type: ignore[no-untyped-def]
        from hmi.services.trends import TrendHistory

        return TrendHistory(engine, plant)

    def trend_views():  # type: ignore[no-untyped-def]
        from hmi.services.trends import TrendViews

        return TrendViews(engine)

    def on_window(window):  # type: ignore[no-untyped-def]
        from hmi.ui.workspace import Workspace, WorkspaceServices

        services = WorkspaceServices(
            auth=workstation.auth, users=workstation.users, audit=workstation.audit,
            alarm_actions=workstation.alarm_actions, verify=workstation.verify, estop=estop,
            trend_history=OnFirstUse(trend_history), trend_views=OnFirstUse(trend_views),
            retention=RetentionSettings(engine, workstation.auth), commands=commands, sensor_config=sensor_config,
            readings=ReadingsQuery(engine, plant), broker=broker, link_snapshot=link_snapshot,
            modbus_device=_scanner_device(plant), load_overview=lambda mills: mill_overview(engine, mills=mills),
            console=socket.gethostname(),
            subtitle=title.replace("Millwatch HMI — ", "").capitalize(),
        )
        if settings is not None:  # the stop guard is chosen per workstation (config.toml [workstation])
            services.estop_mode = settings.estop_mode
            services.hold_seconds = settings.estop_hold_seconds
        workspace = Workspace(window, services)
        sensor_config.add_listener(lambda change: workspace.sensorEdited.emit(change.sensor) if change.sensor else None)
        ui_stops.append(workspace.shutdown)  # explicit, before the window goes: never from `destroyed`
        if args.demo and args.sign_in:
            result = workstation.auth.sign_in(args.sign_in, DEMO_PASSWORD, console=socket.gethostname())
            if not result.ok:
                raise UserFacingError(f"demo sign-in as {args.sign_in} failed: {result.message}")
            workspace.controller.set_session(result.session)
        if args.screen:
            if not workspace.show_screen_named(args.screen):
                titles = ", ".join(t.lower() for t in window.nav.keys)  # the English names, in any language
                raise UserFacingError(f"no screen {args.screen!r}: choose one of {titles}")
            if args.demo and args.screen.lower() == "trends" and workspace.trends is not None:
                _demo_pens(plant, workspace.trends)
        return workspace

    # Qt last: once PySide6 is loaded, its import hook reads the source of every module imported after it,
    # which makes each of them slower; so the services above and their libraries load before it.
    from hmi.ui.run import run_gui

    try:
        return run_gui(
            plant,
            title=title,
            screenshot=args.screenshot,
            exit_after=args.exit_after,
            on_started=on_started,
            on_window=on_window,
            plant_name="Demo plant" if args.demo else None,
            load_journal=workstation.load_journal,
            kiosk=args.kiosk,
            language=getattr(args, "language", None),
        )
    finally:
        if links is not None:
            links.stop()


class OnFirstUse:
    """A service made when it is first used, from any thread. The trend services (history, saved
    views) need numpy, which the window does not: the trend screen, a faceplate or the sensor table's
    sparklines make them when they first ask, not the start of the app."""

    def __init__(self, make: Callable[[], object]) -> None:
        self._make = make
        self._made: object | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        made = self._made
        if made is None:
            with self._lock:
                if self._made is None:
                    self._made = self._make()
                made = self._made
        return getattr(made, name)


def _estop_service(plant, workstation, broker, password, engine, runtime):  # type: ignore[no-untyped-def]
    """The remote stop: MQTT and (where configured) Modbus paths, alarms through the evaluator."""
    from hmi.services.estop_service import EstopService

    def on_alarm(a) -> None:  # type: ignore[no-untyped-def]  # on the e-stop thread: hand over to ingest
        alarms = runtime.alarms
        if alarms is None:
            return
        if a.kind in ("activated", "not_confirmed", "not_stopped"):
            runtime.pipeline.submit_call(lambda: alarms.raise_estop(a.mill, a.user, a.text))
        elif a.kind == "reset":
            runtime.pipeline.submit_call(lambda: alarms.clear_estop(a.mill, a.user, a.text))

    return EstopService(plant, auth=workstation.auth, broker=broker, broker_password=password, engine=engine,
                        alarm=on_alarm)


def _scanner_device(plant: Plant):  # type: ignore[no-untyped-def]
    """The register scanner starts on the plant's first Modbus TCP device (a technician changes it)."""
    from hmi.core.sources import ModbusSource, parse_source
    from hmi.services.register_scanner import DeviceAddress

    for sensor in plant.sensors():
        try:
            src = parse_source(sensor.effective_source())
        except ValidationError:
            continue
        if isinstance(src, ModbusSource) and not src.serial:
            return DeviceAddress(src.host, src.port)
    return None


def _demo_pens(plant: Plant, trends) -> None:  # type: ignore[no-untyped-def]
    """The demo's trend screen opens on the North mill's roller-mill bearings and the scourer."""
    north = plant.mills[0]
    picks = [s.eui for s in north.sensors if s.type.value in ("temperature", "vibration") and s.enabled][:4]
    trends.add_pens(picks)


def _command_services(plant, workstation, broker, password, engine, estop, runtime):  # type: ignore[no-untyped-def]
    """Start production / calibrate / push configuration, and the sensor editor; a calibration
    changed by either reaches the other and the running ingest pipeline."""
    from hmi.services.commands import CommandService
    from hmi.services.sensor_config import SensorConfigService

    commands = CommandService(plant, auth=workstation.auth, broker=broker, broker_password=password, engine=engine,
                              estop=estop, console=socket.gethostname())

    def on_calibration(eui, calibration) -> None:  # type: ignore[no-untyped-def]
        commands.note_calibration(eui, calibration)
        runtime.update_calibration(eui, calibration)

    commands.on_calibration = on_calibration
    sensor_config = SensorConfigService(workstation.auth, engine=engine, on_calibration=on_calibration)

    def on_change(change) -> None:  # type: ignore[no-untyped-def]  # limits, interval, enabled: applied live
        if change.sensor is not None:
            runtime.update_sensor(change.sensor)

    sensor_config.add_listener(on_change)
    return commands, sensor_config


class Workstation:
    """The services one console uses: sign-in, users, audit and alarm actions on the shared database."""

    def __init__(self, engine, host: str) -> None:  # type: ignore[no-untyped-def]
        from hmi.core.permissions import PermissionTable
        from hmi.services.alarm_service import AlarmActions
        from hmi.services.audit_service import AuditService, verify
        from hmi.services.auth import AuthService
        from hmi.services.users import UserService
        from hmi.storage.alarm_repo import AlarmStore
        from hmi.storage.audit import HeadLog, sync_head

        self.engine = engine
        self.head = HeadLog()
        sync_head(engine, self.head)
        self.auth = AuthService(engine, head_log=self.head, permissions=PermissionTable(), host=host)
        self.users = UserService(self.auth)
        self.audit = AuditService(engine, auth=self.auth)
        self.alarm_actions = AlarmActions(engine, self.auth)
        self.load_journal = AlarmStore(engine).journal
        self.verify = lambda: verify(engine, self.head)

    def close(self) -> None:
        from hmi.storage.audit import sync_head

        try:
            sync_head(self.engine, self.head)
        except Exception:  # noqa: BLE001 - the database may be gone at shutdown; verify reports gaps later
            log.warning("audit head not synced at shutdown")
