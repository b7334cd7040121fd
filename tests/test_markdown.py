from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from practica.lib.markdown import cook


def test_cooks_common_markdown() -> None:
    html = cook("# Title\n\n**bold** and [a link](https://example.org)\n\n- one\n- two")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "<li>one</li>" in html


def test_strips_scripts_handlers_and_bad_urls() -> None:
    html = cook('<script>alert(1)</script><img src=x onerror="alert(1)">[x](javascript:alert(1))')
    assert "<script" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html  # left as plain text, never a link


@given(st.text(max_size=300))
def test_never_emits_a_script_tag(text: str) -> None:
    assert "<script" not in cook(text).lower()
