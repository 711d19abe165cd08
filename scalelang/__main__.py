import sys

from scalelang.cli import main

sys.exit(main())
