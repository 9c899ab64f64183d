"""Repositories: data access that takes an AsyncSession and leaves the transaction to the caller."""
