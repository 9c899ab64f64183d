"""Scheduled prompts: planning what is owed to whom, and the one tick that sends it."""
