"""Persistence: SQLAlchemy 2 models, repositories, migrations. No Qt here."""
