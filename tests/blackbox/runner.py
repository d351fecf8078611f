"""Runs every tests/blackbox/test_*.py module with unittest and prints
'blackbox-summary PASSED FAILED' as its last line (read by tests/run.sh)."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
pattern = os.environ.get("TZ_BLACKBOX_PATTERN", "test_*.py")
suite = unittest.defaultTestLoader.discover(here, pattern=pattern, top_level_dir=here)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors)
passed = result.testsRun - failed - len(result.skipped)
print(f"blackbox-summary {passed} {failed}")
sys.exit(0 if failed == 0 else 1)
