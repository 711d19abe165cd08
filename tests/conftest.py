"""Every test derives from scratch: the on-disk cache points at a fresh folder for the session."""

import os
import tempfile

os.environ["SCALELANG_CACHE"] = tempfile.mkdtemp(prefix="scalelang-test-cache-")
