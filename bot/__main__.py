"""`python -m bot` is `careercoach`."""

import sys

from bot.cli import main

sys.exit(main())
