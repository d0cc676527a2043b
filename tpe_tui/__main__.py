"""`python -m tpe_tui` runs the same entry point as the `tpe-tui` script."""

import sys

from tpe_tui.cli.main import main

sys.exit(main())
