"""Alembic environment: the connection is handed in by hmi.storage.migrate (no alembic.ini)."""

from alembic import context

from hmi.storage.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only run through hmi.storage.migrate
    raise RuntimeError("run migrations through `millwatch db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
