"""Tests of the Bot API stub (botapi_stub)."""
