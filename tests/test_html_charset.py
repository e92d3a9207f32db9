"""HTML files that are not UTF-8 are read by the charset their <meta> declares, as browsers read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.documents.html_charset import declared_codec
from claimcheck.errors import InputError
from claimcheck.files import decode

from conftest import run_cli


@pytest.mark.parametrize("head, codec", [
    (b'<meta charset="windows-1252">', "cp1252"),
    (b"<META CHARSET=ISO-8859-1>", "cp1252"),  # browsers read Latin-1 labels as Windows-1252
    (b"<meta charset='us-ascii'/>", "cp1252"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252"),
    (b"<meta content='text/html;charset = \"koi8-r\"' http-equiv=content-type>", "koi8-r"),
    (b"<meta charset=utf-16le>", "utf-8"),  # a byte stream that names UTF-16 is UTF-8
    (b"<!-- <meta charset=koi8-r> --><meta charset=windows-1252>", "cp1252"),
    (b"<a title='<meta charset=koi8-r>'><meta charset=cp1252>", "cp1252"),
    (b"<meta charset=no-such-thing><meta charset=latin1>", "cp1252"),
    (b"<meta charset=hex><meta charset=latin1>", "cp1252"),  # not a text encoding
    (b"<meta http-equiv=refresh content='0; charset=koi8-r'><meta name=x>", None),
    (b"<?xml version='1.0' encoding='windows-1252'?><html>", "cp1252"),
    (b"<p>" + b"x" * 1024 + b"<meta charset=windows-1252>", None),  # beyond the first 1024 bytes
    (b"<!-- unclosed <meta charset=koi8-r>", None),
    (b"", None),
])
def test_declared_charset_prescan(head: bytes, codec: str | None) -> None:
    assert declared_codec(head) == codec


WINDOWS_1252 = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
                "</head>\n<body><p>Our patients\u2019 stories \u2013 caf\u00e9 talks</p>\n"
                "<p>Nine in ten patients reported less pain.</p></body></html>\n")


def test_a_windows_1252_page_is_decoded_by_its_declaration() -> None:
    data = WINDOWS_1252.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data, "page.html", fmt="html") == WINDOWS_1252


def test_bytes_windows_1252_leaves_undefined_are_c1_controls() -> None:
    assert decode(b"<meta charset=windows-1252><p>a\x81b\x92</p>", "p.html", fmt="html") == (
        "<meta charset=windows-1252><p>a\x81b\u2019</p>")


def test_only_html_that_is_not_utf8_uses_the_declaration() -> None:
    utf8 = "<meta charset=windows-1252><p>caf\u00e9</p>".encode()
    assert decode(utf8, "p.html", fmt="html") == "<meta charset=windows-1252><p>caf\u00e9</p>"
    latin = "<meta charset=windows-1252><p>caf\u00e9</p>".encode("cp1252")
    with pytest.raises(InputError, match="not valid UTF-8 at byte 33"):
        decode(latin, "p.md", fmt="markdown")
    with pytest.raises(InputError, match="not valid utf-8 at byte 33"):
        decode(latin, "p.html", encoding="utf-8", fmt="html")  # an explicit --encoding wins
    with pytest.raises(InputError, match="not valid UTF-8 at byte 14"):
        decode("<p>no charset \u00e9</p>".encode("cp1252"), "p.html", fmt="html")
    with pytest.raises(InputError, match=r"error: not valid shift_jis \(the charset its <meta> declares\) at byte 27$"):
        decode(b"<meta charset=shift_jis><p>\x81\x20\xff</p>", "p.html", fmt="html")


def test_cli_lints_a_windows_1252_page_at_exact_positions(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(WINDOWS_1252.encode("cp1252"))
    result = run_cli("check", "--isolated", "--no-cache", "--no-source", "--format", "concise",
                     "--select", "CC101", "page.html", cwd=tmp_path)
    assert result.stderr == ""
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("page.html:3:4: CC101 ")
