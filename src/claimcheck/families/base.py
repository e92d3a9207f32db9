"""What every rule kind shares: metadata from the YAML file, hits, and the per-document context."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from claimcheck.documents.base import Document
from claimcheck.documents.editing import Editor
from claimcheck.families.fixspec import FixSpec
from claimcheck.model import Applicability, ClaimRef, Fix, Severity
from claimcheck.ruleset.patterns import Matcher, PatternSet, Span, expand_terms
from claimcheck.ruleset.schema import Field
from claimcheck.ruleset.yamlpos import Located, Path

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    kind: str
    severity: Severity
    message: str
    description: str
    examples_fail: tuple[str, ...]
    examples_pass: tuple[str, ...]
    source: str  # the rule file it came from
    references: tuple[str, ...] = ()  # regulations and guidance the rule rests on


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's raw result: a span of one block's text, or the whole document (``block is None``)."""

    block: int | None  # index into the document's blocks
    start: int = 0
    end: int = 0
    message: str | None = None  # overrides the rule's message when set
    fix: Fix | None = None
    claim: ClaimRef | None = None  # the claims-registry entry the hit is about


@dataclass
class Context:
    """One document as the rules see it: its blocks, spaCy docs for the blocks that need them, and the
    lint's :class:`Matcher` (pass it to ``PatternSet.spans``/``search`` so scans are shared and timed)."""

    document: Document
    docs: Mapping[int, Doc] = field(default_factory=dict)  # parsed when first asked (see blockdocs)
    matcher: Matcher = field(default_factory=Matcher)
    # What one rule kind computes once per document for all its rules (the claims-registry rules judge
    # each claim once for the three of them), keyed by the kind.
    shared: dict[object, Any] = field(default_factory=dict)
    _editor: Editor | None = None

    @property
    def editor(self) -> Editor:
        """Where fixes may write in this document (built on first use: most lints fix nothing)."""
        if self._editor is None:
            self._editor = Editor(self.document)
        return self._editor

    def sentences(self, index: int) -> list[Span]:
        """Character spans of the sentences of block ``index`` (the whole block if it was not parsed)."""
        doc = self.docs.get(index)
        if doc is None:
            return [(0, len(self.document.blocks[index].text))]
        return [(sent.start_char, sent.end_char) for sent in doc.sents]


class RuleKind:
    """Base class of a rule kind. Subclasses declare their YAML keys and implement :meth:`check`."""

    kind: ClassVar[str]
    fields: ClassVar[dict[str, Field]] = {}
    # Config keys ([tool.claimcheck]) that override this kind's rule keys: {config key: rule key}.
    overrides: ClassVar[dict[str, str]] = {}

    def __init__(self, meta: RuleMeta, spec: Mapping[str, Any], located: Located, path: Path,
                 validate: bool = True) -> None:
        """``validate``: check and compile patterns now (see ``PatternSet.compile``)."""
        self.meta = meta
        self._located = located
        self._path = path
        self._validate = validate
        self.terms = expand_terms(spec.get("terms", {}), located, path + ("terms",))
        self.configure(spec)

    def patterns(self, spec: Mapping[str, Any], key: str) -> PatternSet:
        sources = spec.get(key, [])
        if isinstance(sources, str):
            sources = [sources]
        return PatternSet.compile(f"{self.meta.code} ({self.meta.source})", sources, self.terms,
                                  self._located, self._path + (key,), validate=self._validate)

    def configure(self, spec: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def read_fix(self, spec: Mapping[str, Any], keys: tuple[str, ...],
                 default: Applicability = Applicability.SAFE) -> FixSpec | None:
        """The rule's ``fix`` (see :mod:`claimcheck.families.fixspec`) with the ``keys`` this kind uses."""
        return FixSpec.read(spec, self._located, self._path, keys, default)

    def describe_fix(self) -> str | None:
        """How the rule fixes its findings (for ``claimcheck explain``), or None when it does not."""
        spec: FixSpec | None = getattr(self, "fix_spec", None)
        return spec.describe(getattr(self, "fix_text", None)) if spec is not None else None

    def message_values(self) -> dict[str, str]:
        """Values for ``{placeholders}`` in the rule's message."""
        return {}

    def message(self) -> str:
        try:
            return self.meta.message.format(**self.message_values())
        except (KeyError, IndexError, ValueError):
            return self.meta.message

    def link(self, rules: Mapping[str, RuleKind]) -> None:
        """Called once every rule is loaded, with all of them by code: a kind that builds on another rule
        finds it here (and raises a RuleError when it is missing)."""

    def enabled(self) -> bool:
        """Whether the rule can find anything in this run; a disabled rule is left out of the run (a
        claims-registry rule without a configured registry), so it costs nothing and is not reported."""
        return True

    def for_examples(self) -> RuleKind:
        """The rule as its own examples are checked (a kind may need example data the examples assume)."""
        return self

    def needs_sentences(self, text: str, matcher: Matcher) -> bool:
        """Whether a block with this text must be parsed (tokens, sentences) for this rule; ``matcher``
        is the lint's (scans made here are remembered for ``check``)."""
        return False

    def check(self, context: Context) -> Iterator[Hit]:
        raise NotImplementedError
