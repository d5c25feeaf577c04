"""Alembic's environment: migrations run on the connection (and in the transaction) the Store hands over."""

from alembic import context

from weakorg.store import schema

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=schema.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
