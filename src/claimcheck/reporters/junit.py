"""``--format junit``: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One ``testcase`` per linted file, named by its path: a clean file passes; a file with findings fails, with
one ``failure`` element per finding (``type`` is the rule code; the body is ``path:line:col: CODE message``).
``tests`` counts files and ``failures`` counts failed files, the usual JUnit meaning; a draft that could not
be read is a ``testcase`` with an ``error``. Written once, when the run finishes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from claimcheck.documents.base import Document
from claimcheck.model import Finding
from claimcheck.reporters.base import Reporter, Summary, relative_path, run_errors

# Characters XML 1.0 cannot carry even escaped; a draft may contain them.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def failure(finding: Finding) -> ET.Element:
    element = ET.Element("failure", message=xml_text(f"{finding.code} {finding.message}"), type=finding.code)
    where = f"{relative_path(finding.path)}:{finding.position.line}:{finding.position.column}"
    body = f"{where}: {finding.code} [{finding.severity}] {finding.message}"
    if finding.excerpt:
        body += f"\n    {' '.join(finding.excerpt.split())}"
    element.text = xml_text(body)
    return element


class JunitReporter(Reporter):
    def start(self) -> None:
        self._cases: list[ET.Element] = []
        self._failed = 0

    def file(self, path: str, document: Document, findings: list[Finding]) -> None:
        shown = xml_text(relative_path(path))
        case = ET.Element("testcase", classname="claimcheck", name=shown, file=shown)
        case.extend(failure(finding) for finding in findings)
        self._failed += bool(findings)
        self._cases.append(case)

    def finish(self, summary: Summary) -> None:
        errors = run_errors(summary)
        lines = [*summary.errors, *([summary.no_drafts] if summary.no_drafts else [])]
        for error, line in zip(errors, lines, strict=True):
            case = ET.Element("testcase", classname="claimcheck", name=xml_text(error.path or "claimcheck"))
            ET.SubElement(case, "error", message=xml_text(line), type=error.kind)
            self._cases.append(case)
        counts = {"tests": str(len(self._cases)), "failures": str(self._failed),
                  "errors": str(len(errors)), "skipped": "0"}
        suites = ET.Element("testsuites", {"name": "claimcheck", **counts})
        suite = ET.SubElement(suites, "testsuite", {"name": "claimcheck", **counts})
        suite.extend(self._cases)
        ET.indent(suites)
        self.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.write(ET.tostring(suites, encoding="unicode"))
        self.write("\n")
