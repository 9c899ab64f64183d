"""Telegram handlers: thin translation between updates and the domain, one module per flow."""
