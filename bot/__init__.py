"""Career Change Coach: the domain (pure Python) and the application's composition root."""
