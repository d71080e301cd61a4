"""``python -m pcflab.cli``: the ``pcflab`` command."""

import sys

from ._main import main

sys.exit(main())
