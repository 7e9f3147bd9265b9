"""Database schema (SQLAlchemy Core tables). Alembic migrations in `migrations/` create it.

Readings are keyed by (sensor, timestamp): on SQLite a WITHOUT ROWID table (a 24 h range on a
10 M-row table: 41 ms against 153 ms with a rowid table), on PostgreSQL a covering index.
Timestamps of readings are UTC epoch seconds (double) so the hot path does no date conversion.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

QUALITY_CODES = {"good": 0, "uncertain": 1, "bad": 2}
QUALITY_NAMES = {v: k for k, v in QUALITY_CODES.items()}


class Base:
    """What every table shares: one MetaData with the naming convention (Alembic compares against it).
    Each `...Row` class holds its table as `__table__`: plain Core tables, because the code reads and
    writes through SQLAlchemy Core only, and the ORM's import and class mapping cost every start of the
    app a few hundred milliseconds before its window could show."""

    metadata = MetaData(naming_convention=NAMING)


class MillRow(Base):
    __table__ = Table(
        "mills", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("slug", String(64), unique=True, nullable=False),
        Column("name", String(200), unique=True, nullable=False),
        Column("location", String(200), default="", nullable=False),
        Column("latitude", Float, nullable=True),
        Column("longitude", Float, nullable=True),
        Column("capacity", Float, default=0.0, nullable=False),
        Column("status", String(16), default="active", nullable=False),
        Column("estop_mqtt", Boolean, default=True, nullable=False),
        Column("estop_modbus", String(300), default="", nullable=False),
        Column("estop_coast_down", Float, default=30.0, server_default="30", nullable=False),
        Column("active", Boolean, default=True, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=True),
    )


class SensorRow(Base):
    __table__ = Table(
        "sensors", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("mill_id", Integer, ForeignKey("mills.id", ondelete="CASCADE"), index=True, nullable=False),
        Column("name", String(200), nullable=False),
        Column("type", String(16), nullable=False),
        Column("eui", String(16), unique=True, nullable=False),
        Column("unit", String(16), default="", nullable=False),
        Column("location", String(200), default="", nullable=False),
        Column("sampling_interval", Float, default=5.0, nullable=False),
        Column("source", String(500), default="", nullable=False),
        Column("warning_min", Float, nullable=True),
        Column("warning_max", Float, nullable=True),
        Column("critical_min", Float, nullable=True),
        Column("critical_max", Float, nullable=True),
        Column("cal_offset", Float, default=0.0, nullable=False),
        Column("cal_multiplier", Float, default=1.0, nullable=False),
        Column("enabled", Boolean, default=True, nullable=False),
        Column("metadata", JSON, default=dict, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=True),
        UniqueConstraint("mill_id", "name", name="uq_sensors_mill_name"),
    )


class ReadingRow(Base):
    """History: one row per (sensor, ts). Written by the batched history writer, never the ORM."""

    __table__ = Table(
        "readings", Base.metadata,
        # PostgreSQL also gets ix_readings_cover (sensor_id, ts) INCLUDE (value, quality): see migration 0001.
        Column("sensor_id", Integer, ForeignKey("sensors.id", ondelete="CASCADE"), primary_key=True),
        Column("ts", Float(53), primary_key=True),
        Column("value", Float(53), nullable=True),
        Column("raw_value", Float(53), nullable=True),
        Column("quality", SmallInteger, default=0, nullable=False),
        sqlite_with_rowid=False,
    )


class AlertRow(Base):
    """One occurrence of an alarm (the customer's "alert": mill, sensor, severity, title, message,
    acknowledged by/at, created at) with its ISA-18.2 state. `version` increases on every write so
    workstations sharing the database see changes and concurrent writers never overwrite each other
    (optimistic concurrency)."""

    __table__ = Table(
        "alerts", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("mill_id", Integer, ForeignKey("mills.id", ondelete="CASCADE"), index=True, nullable=False),
        Column("sensor_id", Integer, ForeignKey("sensors.id", ondelete="SET NULL"), nullable=True),
        Column("severity", String(16), nullable=False),
        Column("kind", String(32), default="process", nullable=False),
        Column("title", String(200), nullable=False),
        Column("message", Text, default="", nullable=False),
        Column("state", String(32), default="unack_active", nullable=False),
        Column("value", Float, nullable=True),
        Column("acknowledged", Boolean, default=False, nullable=False),
        Column("acknowledged_by", String(64), nullable=True),
        Column("acknowledged_at", DateTime(timezone=True), nullable=True),
        Column("created_at", DateTime(timezone=True), index=True, nullable=False),
        Column("cleared_at", DateTime(timezone=True), nullable=True),
        # ISA-18.2 record (migration 0002)
        Column("alarm_key", String(200), default="", index=True, nullable=False),
        Column("occurrence", Integer, default=0, nullable=False),
        Column("record", JSON, default=dict, nullable=False),
        Column("announced", Boolean, default=True, nullable=False),
        Column("version", Integer, default=1, index=True, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=True),
        UniqueConstraint("alarm_key", "occurrence", name="uq_alerts_key_occurrence"),
    )


class AlertJournalRow(Base):
    """Every state change of every alarm occurrence: who, when, from/to, comment (shift reports)."""

    __table__ = Table(
        "alert_journal", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="SET NULL"), nullable=True),
        Column("ts", DateTime(timezone=True), index=True, nullable=False),
        Column("mill", String(64), index=True, nullable=False),
        Column("alarm_key", String(200), nullable=False),
        Column("occurrence", Integer, nullable=False),
        Column("action", String(32), nullable=False),
        Column("from_state", String(32), nullable=False),
        Column("to_state", String(32), nullable=False),
        Column("priority", String(16), nullable=False),
        Column("username", String(64), default="", nullable=False),
        Column("comment", Text, default="", nullable=False),
        Column("value", Float, nullable=True),
        Column("announced", Boolean, default=True, nullable=False),
    )


class ProductionRow(Base):
    __table__ = Table(
        "production_records", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("mill_id", Integer, ForeignKey("mills.id", ondelete="CASCADE"), nullable=False),
        Column("day", Date, nullable=False),
        Column("actual", Float, default=0.0, nullable=False),
        UniqueConstraint("mill_id", "day", name="uq_production_mill_day"),
    )


class UserRow(Base):
    __table__ = Table(
        "users", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("username", String(64), unique=True, nullable=False),
        Column("display_name", String(200), default="", nullable=False),
        Column("phone", String(40), default="", nullable=False),
        Column("role", String(16), nullable=False),
        Column("password_hash", String(300), nullable=False),
        Column("active", Boolean, default=True, nullable=False),
        Column("must_change_password", Boolean, default=False, nullable=False),
        Column("failed_attempts", Integer, default=0, nullable=False),
        Column("locked_until", DateTime(timezone=True), nullable=True),
        Column("last_login_at", DateTime(timezone=True), nullable=True),
        Column("last_login_host", String(200), default="", nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=True),
    )


class UserMillRow(Base):
    __table__ = Table(
        "user_mills", Base.metadata,
        Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        Column("mill_id", Integer, ForeignKey("mills.id", ondelete="CASCADE"), primary_key=True),
    )


class AuditRow(Base):
    """Append-only trail. `seq` is gap-free; `prev_hash`/`hash` chain the records."""

    __table__ = Table(
        "audit_log", Base.metadata,
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("ts", DateTime(timezone=True), index=True, nullable=False),
        Column("username", String(64), default="", nullable=False),
        Column("host", String(200), default="", nullable=False),
        Column("action", String(64), index=True, nullable=False),
        Column("mill", String(64), default="", nullable=False),
        Column("target", String(200), default="", nullable=False),
        Column("before", Text, default="", nullable=False),
        Column("after", Text, default="", nullable=False),
        Column("prev_hash", String(64), default="", nullable=False),
        Column("hash", String(64), default="", nullable=False),
    )


def _rollup_columns() -> list[Column]:
    """Per-bucket aggregates of the good and uncertain values of one sensor (bad ones never count).

    `bucket` is the start of the bucket (UTC epoch seconds, a whole multiple of its width); `first_ts` and
    `last_ts` are the times of the first and last sample in it, so a trend drawn from rollups places its
    points where the raw samples are. Maintained by hmi/services/rollup_job.py (migration 0003)."""
    return [
        Column("sensor_id", Integer, ForeignKey("sensors.id", ondelete="CASCADE"), primary_key=True),
        Column("bucket", Float(53), primary_key=True),
        Column("first_ts", Float(53), nullable=False),
        Column("last_ts", Float(53), nullable=False),
        Column("min_value", Float(53), nullable=False),
        Column("max_value", Float(53), nullable=False),
        Column("avg_value", Float(53), nullable=False),
        Column("count", Integer, nullable=False),
    ]


class RollupMinuteRow(Base):
    __table__ = Table(
        "rollup_minute", Base.metadata,
        *_rollup_columns(),
        sqlite_with_rowid=False,
    )


class RollupHourRow(Base):
    __table__ = Table(
        "rollup_hour", Base.metadata,
        *_rollup_columns(),
        sqlite_with_rowid=False,
    )


class RollupStateRow(Base):
    """Per store ("raw", "minute", "hour"): `watermark`, the end of what the rollup job has computed
    (buckets before it are complete), and `horizon`, the start of what retention has kept."""

    __table__ = Table(
        "rollup_state", Base.metadata,
        Column("name", String(32), primary_key=True),
        Column("watermark", Float(53), nullable=True),
        Column("horizon", Float(53), nullable=True),
        Column("updated_at", DateTime(timezone=True), nullable=True),
    )


class TrendViewRow(Base):
    """A saved trend view (pens, range, layout) of one user, optionally shared with everyone."""

    __table__ = Table(
        "trend_views", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(200), nullable=False),
        Column("owner", String(64), index=True, nullable=False),
        Column("shared", Boolean, default=False, nullable=False),
        Column("definition", JSON, default=dict, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=True),
        UniqueConstraint("owner", "name", name="uq_trend_views_owner_name"),
    )


class SiteSettingRow(Base):
    """A site-wide setting shared by every workstation of the database (e.g. data retention), as
    JSON under a key; who changed it last and when (the audit trail has the history). Migration 0006."""

    __table__ = Table(
        "site_settings", Base.metadata,
        Column("key", String(100), primary_key=True),
        Column("value", JSON, default=dict, nullable=False),
        Column("updated_by", String(64), default="", nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=True),
    )


class CalibrationRecordRow(Base):
    """One calibration of one sensor, versioned per sensor (1, 2, 3 ...): who, when, why, the
    calibration before and after, and what it was made against (the raw value, the reference and the
    reading before it). Readings keep their raw value beside the calibrated one, so with these
    records a history can be re-derived under any calibration. Append-only (migration 0004)."""

    __table__ = Table(
        "calibration_records", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("sensor_id", Integer, ForeignKey("sensors.id", ondelete="CASCADE"), index=True, nullable=False),
        Column("eui", String(16), index=True, nullable=False),
        Column("version", Integer, nullable=False),
        Column("ts", DateTime(timezone=True), nullable=False),
        Column("username", String(64), default="", nullable=False),
        Column("host", String(200), default="", nullable=False),
        Column("console", String(200), default="", nullable=False),
        Column("kind", String(16), default="reference", nullable=False),
        Column("reason", Text, default="", nullable=False),
        Column("before_offset", Float(53), nullable=False),
        Column("before_multiplier", Float(53), nullable=False),
        Column("after_offset", Float(53), nullable=False),
        Column("after_multiplier", Float(53), nullable=False),
        Column("raw_value", Float(53), nullable=True),
        Column("reference", Float(53), nullable=True),
        Column("reading_before", Float(53), nullable=True),
        Column("command_id", String(64), default="", nullable=False),
        UniqueConstraint("sensor_id", "version", name="uq_calibration_records_sensor_version"),
    )

