"""The "length" gate of scripts/lint.sh (scripts/lint/funclen.py): a
function over 100 lines is a finding unless the comment above it says why it
stays long; shorter functions and declarations are not."""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, "scripts", "lint", "funclen.py")


def _function(name, body_lines, comment=None):
    head = [f"/* {comment} */"] if comment else []
    body = [f"    x += {i};" for i in range(body_lines)]
    return head + [f"static int {name}(int x)", "{"] + body + ["    return x;", "}", ""]


class TestLengthGate(unittest.TestCase):
    def run_tool(self, lines):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "f.c")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            p = subprocess.run([sys.executable, TOOL, path], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            return p.stdout.splitlines()

    def test_long_function_is_a_finding(self):
        out = self.run_tool(_function("_short", 50) + _function("_big", 120, "Adds."))
        self.assertEqual(len(out), 1, out)
        self.assertIn("_big is 123 lines", out[0])
        self.assertIn("f.c:", out[0])

    def test_a_reason_in_the_comment_above_lets_it_stay(self):
        out = self.run_tool(_function("_big", 120, "Long because it is one table.")
                            + _function("_big2", 120, "一张表, 所以长。"))
        self.assertEqual(out, [])

    def test_the_limit_is_100_lines(self):
        # 98 body lines + return + both braces = 101 lines; 97 gives 100
        self.assertEqual(self.run_tool(_function("_at", 97)), [])
        self.assertEqual(len(self.run_tool(_function("_over", 98))), 1)


if __name__ == "__main__":
    unittest.main()
