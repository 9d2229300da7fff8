#!/usr/bin/python3
"""Every link in README.md, docs/*.md and scenarios/**/*.md resolves inside the repository (issue 13): a
fresh clone has everything its documentation points to. Markdown links and images
[text](target) and HTML src/href attributes are checked; web addresses are allowed only
as plain text, never as links; no text points at a folder outside the repository."""
import glob
import os
import re
import unittest

SOURCE_DIR = os.environ.get("SALESFLOW_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|(?:src|href)=\"([^\"]+)\"")


def documents():
    # The key reference and the model's specification live in scenarios/README.md.
    return ([os.path.join(SOURCE_DIR, "README.md")] + sorted(glob.glob(os.path.join(SOURCE_DIR, "docs", "*.md"))) +
            sorted(glob.glob(os.path.join(SOURCE_DIR, "scenarios", "**", "*.md"), recursive=True)))


def links(path):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold commands, not links
    return [a or b for a, b in LINK.findall(text)], text


class Links(unittest.TestCase):
    def test_every_link_resolves_inside_the_repository(self):
        root = os.path.realpath(SOURCE_DIR)
        checked = 0
        for doc in documents():
            refs, text = links(doc)
            for ref in refs:
                with self.subTest(doc=os.path.relpath(doc, SOURCE_DIR), link=ref):
                    self.assertNotRegex(ref, r"^[a-z]+:", "a link leaves the repository")
                    target = ref.split("#", 1)[0]
                    if not target:
                        continue
                    full = os.path.realpath(os.path.join(os.path.dirname(doc), target))
                    self.assertTrue(full == root or full.startswith(root + os.sep), "outside the repository")
                    self.assertTrue(os.path.exists(full), "no such file")
                    checked += 1
            self.assertNotRegex(text, r"\.\./shared/|shared/design", os.path.relpath(doc, SOURCE_DIR))
        self.assertGreater(checked, 10)

    def test_the_contracts_are_in_the_repository(self):
        for name in ("scenario-format-contract.md", "results-contract.md", "cli-contract.md", "sources.md"):
            self.assertTrue(os.path.isfile(os.path.join(SOURCE_DIR, "docs", name)), name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
