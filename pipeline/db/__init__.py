"""The database: schema (models following the pydantic record), migrations, and atomic per-document loading."""
