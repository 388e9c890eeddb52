"""The Python blocks of the docs run as written (docs/embedding.md, docs/python.md):
each ```python block is executed from the source tree's top directory; the
blocks assert their own claims."""
import os
import re
import unittest

DOCS = ("docs/embedding.md", "docs/python.md")


def blocks(path):
    with open(path) as f:
        return re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)


class DocBlocks(unittest.TestCase):
    def test_blocks_run(self):
        src = os.environ.get("SPOW_SOURCE_DIR",
                             os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
        old = os.getcwd()
        os.chdir(src)
        try:
            for doc in DOCS:
                found = blocks(doc)
                self.assertTrue(found, f"{doc} has no python block")
                for i, code in enumerate(found):
                    with self.subTest(doc=doc, block=i):
                        exec(compile(code, f"{doc}[block {i}]", "exec"), {})
        finally:
            os.chdir(old)


if __name__ == "__main__":
    unittest.main()
