"""Database schema (SQLAlchemy 2 declarative). Alembic migrations in `migrations/` create it.

Readings are keyed by (sensor, timestamp): on SQLite a WITHOUT ROWID table (a 24 h range on a
10 M-row table: 41 ms against 153 ms with a rowid table), on PostgreSQL a covering index.
Timestamps of readings are UTC epoch seconds (double) so the hot path does no date conversion.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

QUALITY_CODES = {"good": 0, "uncertain": 1, "bad": 2}
QUALITY_NAMES = {v: k for k, v in QUALITY_CODES.items()}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MillRow(Base):
    __tablename__ = "mills"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    capacity: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(16), default="active")
    estop_mqtt: Mapped[bool] = mapped_column(Boolean, default=True)
    estop_modbus: Mapped[str] = mapped_column(String(300), default="")
    estop_coast_down: Mapped[float] = mapped_column(Float, default=30.0, server_default="30")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SensorRow(Base):
    __tablename__ = "sensors"
    __table_args__ = (UniqueConstraint("mill_id", "name", name="uq_sensors_mill_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mill_id: Mapped[int] = mapped_column(ForeignKey("mills.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))
    eui: Mapped[str] = mapped_column(String(16), unique=True)
    unit: Mapped[str] = mapped_column(String(16), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    sampling_interval: Mapped[float] = mapped_column(Float, default=5.0)
    source: Mapped[str] = mapped_column(String(500), default="")
    warning_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    warning_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    critical_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    critical_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    cal_offset: Mapped[float] = mapped_column(Float, default=0.0)
    cal_multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ReadingRow(Base):
    """History: one row per (sensor, ts). Written by the batched history writer, never the ORM."""

    __tablename__ = "readings"
    # PostgreSQL also gets ix_readings_cover (sensor_id, ts) INCLUDE (value, quality): see migration 0001.
    __table_args__: ClassVar[dict[str, object]] = {"sqlite_with_rowid": False}
    sensor_id: Mapped[int] = mapped_column(ForeignKey("sensors.id", ondelete="CASCADE"), primary_key=True)
    ts: Mapped[float] = mapped_column(Float(53), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    raw_value: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    quality: Mapped[int] = mapped_column(SmallInteger, default=0)


class AlertRow(Base):
    """One occurrence of an alarm (the customer's "alert": mill, sensor, severity, title, message,
    acknowledged by/at, created at) with its ISA-18.2 state. `version` increases on every write so
    workstations sharing the database see changes and concurrent writers never overwrite each other
    (optimistic concurrency)."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("alarm_key", "occurrence", name="uq_alerts_key_occurrence"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mill_id: Mapped[int] = mapped_column(ForeignKey("mills.id", ondelete="CASCADE"), index=True)
    sensor_id: Mapped[int | None] = mapped_column(ForeignKey("sensors.id", ondelete="SET NULL"), nullable=True)
    severity: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32), default="process")
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(32), default="unack_active")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # ISA-18.2 record (migration 0002)
    alarm_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    occurrence: Mapped[int] = mapped_column(Integer, default=0)
    record: Mapped[dict] = mapped_column(JSON, default=dict)
    announced: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AlertJournalRow(Base):
    """Every state change of every alarm occurrence: who, when, from/to, comment (shift reports)."""

    __tablename__ = "alert_journal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"), nullable=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    mill: Mapped[str] = mapped_column(String(64), index=True)
    alarm_key: Mapped[str] = mapped_column(String(200))
    occurrence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16))
    username: Mapped[str] = mapped_column(String(64), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    announced: Mapped[bool] = mapped_column(Boolean, default=True)


class ProductionRow(Base):
    __tablename__ = "production_records"
    __table_args__ = (UniqueConstraint("mill_id", "day", name="uq_production_mill_day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mill_id: Mapped[int] = mapped_column(ForeignKey("mills.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    actual: Mapped[float] = mapped_column(Float, default=0.0)


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_login_host: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class UserMillRow(Base):
    __tablename__ = "user_mills"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    mill_id: Mapped[int] = mapped_column(ForeignKey("mills.id", ondelete="CASCADE"), primary_key=True)


class AuditRow(Base):
    """Append-only trail. `seq` is gap-free; `prev_hash`/`hash` chain the records."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    mill: Mapped[str] = mapped_column(String(64), default="")
    target: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")


class _RollupColumns:
    """Per-bucket aggregates of the good and uncertain values of one sensor (bad ones never count).

    `bucket` is the start of the bucket (UTC epoch seconds, a whole multiple of its width); `first_ts` and
    `last_ts` are the times of the first and last sample in it, so a trend drawn from rollups places its
    points where the raw samples are. Maintained by hmi/services/rollup_job.py (migration 0003)."""

    sensor_id: Mapped[int] = mapped_column(ForeignKey("sensors.id", ondelete="CASCADE"), primary_key=True)
    bucket: Mapped[float] = mapped_column(Float(53), primary_key=True)
    first_ts: Mapped[float] = mapped_column(Float(53))
    last_ts: Mapped[float] = mapped_column(Float(53))
    min_value: Mapped[float] = mapped_column(Float(53))
    max_value: Mapped[float] = mapped_column(Float(53))
    avg_value: Mapped[float] = mapped_column(Float(53))
    count: Mapped[int] = mapped_column(Integer)


class RollupMinuteRow(_RollupColumns, Base):
    __tablename__ = "rollup_minute"
    __table_args__: ClassVar[dict[str, object]] = {"sqlite_with_rowid": False}


class RollupHourRow(_RollupColumns, Base):
    __tablename__ = "rollup_hour"
    __table_args__: ClassVar[dict[str, object]] = {"sqlite_with_rowid": False}


class RollupStateRow(Base):
    """Per store ("raw", "minute", "hour"): `watermark`, the end of what the rollup job has computed
    (buckets before it are complete), and `horizon`, the start of what retention has kept."""

    __tablename__ = "rollup_state"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    watermark: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    horizon: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class TrendViewRow(Base):
    """A saved trend view (pens, range, layout) of one user, optionally shared with everyone."""

    __tablename__ = "trend_views"
    __table_args__ = (UniqueConstraint("owner", "name", name="uq_trend_views_owner_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(64), index=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    definition: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SiteSettingRow(Base):
    """A site-wide setting shared by every workstation of the database (e.g. data retention), as
    JSON under a key; who changed it last and when (the audit trail has the history). Migration 0006."""

    __tablename__ = "site_settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CalibrationRecordRow(Base):
    """One calibration of one sensor, versioned per sensor (1, 2, 3 ...): who, when, why, the
    calibration before and after, and what it was made against (the raw value, the reference and the
    reading before it). Readings keep their raw value beside the calibrated one, so with these
    records a history can be re-derived under any calibration. Append-only (migration 0004)."""

    __tablename__ = "calibration_records"
    __table_args__ = (UniqueConstraint("sensor_id", "version", name="uq_calibration_records_sensor_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sensor_id: Mapped[int] = mapped_column(ForeignKey("sensors.id", ondelete="CASCADE"), index=True)
    eui: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str] = mapped_column(String(64), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    console: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="reference")
    reason: Mapped[str] = mapped_column(Text, default="")
    before_offset: Mapped[float] = mapped_column(Float(53))
    before_multiplier: Mapped[float] = mapped_column(Float(53))
    after_offset: Mapped[float] = mapped_column(Float(53))
    after_multiplier: Mapped[float] = mapped_column(Float(53))
    raw_value: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    reference: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    reading_before: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    command_id: Mapped[str] = mapped_column(String(64), default="")
