"""Storage: SQLAlchemy models, repositories, migrations and PTB persistence."""
