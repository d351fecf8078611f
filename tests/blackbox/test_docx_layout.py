"""Runs tests/blackbox/test_docx_pdf.sh: the sample .docx opened by LibreOffice
has the GB/T 9704 page (28 chars x 22 lines, "— N —" page numbers)."""
import os
import shutil
import subprocess
import unittest

from tzlib import BIN, ROOT


@unittest.skipUnless(shutil.which("soffice") and shutil.which("pdftotext"),
                     "LibreOffice or poppler-utils not installed")
class TestDocxLayout(unittest.TestCase):
    def test_docx_opens_in_libreoffice_with_gbt9704_page(self):
        if "build-san" in BIN:
            self.skipTest("layout is the same in both builds; run once")
        build = os.path.dirname(BIN)
        p = subprocess.run(["bash", os.path.join(ROOT, "tests", "blackbox", "test_docx_pdf.sh")],
                           capture_output=True, text=True, env=dict(os.environ, BUILD=build),
                           timeout=600)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("FAIL", p.stdout)


if __name__ == "__main__":
    unittest.main()
