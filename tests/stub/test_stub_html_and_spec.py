"""Unit tests of the HTML parser and the spec-driven parameter decoding (no server)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from botapi_stub.html import HtmlError, parse_html, utf16_len
from botapi_stub.models import ApiError, UploadedFile
from botapi_stub.spec import BotApiSpec
from botapi_stub.validation import markdown_plain_text, parse_formatted

SPEC = BotApiSpec.load()


@pytest.mark.parametrize(
    ("source", "text", "types"),
    [
        ("plain", "plain", []),
        (
            "<b>a</b><strong>b</strong><i>c</i><em>d</em>",
            "abcd",
            ["bold", "bold", "italic", "italic"],
        ),
        (
            "<u>a</u><ins>b</ins><s>c</s><strike>d</strike><del>e</del>",
            "abcde",
            ["underline"] * 2 + ["strikethrough"] * 3,
        ),
        ('<a href="https://x.org/?a=1&b=2">link</a>', "link", ["text_link"]),
        ("<tg-spoiler>s</tg-spoiler>", "s", ["spoiler"]),
        ('<span class="tg-spoiler">s</span>', "s", ["spoiler"]),
        ("<blockquote>q</blockquote>", "q", ["blockquote"]),
        ("<blockquote expandable>q</blockquote>", "q", ["expandable_blockquote"]),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", ["pre"]),
        ("<code>c</code>", "c", ["code"]),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", ["custom_emoji"]),
        ("&lt;&gt;&amp;&quot;&#65;&#x42;", '<>&"AB', []),
        ("<b>x</>", "x", ["bold"]),
        ("<B>x</b>", "x", ["bold"]),
    ],
)
def test_parse_html_valid_markup_gives_text_and_entities(
    source: str, text: str, types: list[str]
) -> None:
    parsed = parse_html(source)
    assert parsed.text == text
    assert [e["type"] for e in parsed.entities] == types


def test_parse_html_entity_offsets_are_utf16() -> None:
    parsed = parse_html("😀 <b>hi</b>")
    assert parsed.entities == [{"type": "bold", "offset": 3, "length": 2}]
    assert utf16_len("😀") == 2


def test_parse_html_pre_language_is_kept() -> None:
    parsed = parse_html('<pre><code class="language-python">x</code></pre>')
    assert parsed.entities == [{"type": "pre", "offset": 0, "length": 1, "language": "python"}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("AT&T", 'Unsupported HTML entity "&T" at byte offset 2'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<i>a</i   ", "Unclosed end tag at byte offset 4"),
        ('<b style="x">y</b>', 'Unsupported attribute "style" in the tag "b" at byte offset 0'),
        ("<i    aba>", 'Expected equal sign in declaration of an attribute of the tag "i" at byte'),
        ("<span>s</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("&#xD800;", "Text contains invalid Unicode characters"),
    ],
)
def test_parse_html_invalid_markup_raises_telegram_message(source: str, message: str) -> None:
    with pytest.raises(HtmlError) as caught:
        parse_html(source)
    assert str(caught.value).startswith(message)


def test_parse_formatted_markdown_is_accepted_loosely() -> None:
    assert markdown_plain_text(r"*bold* _it_ \. [link](https://x.org)", v2=True) == "bold it . link"
    assert parse_formatted("*hi*", "markdown", None).text == "hi"
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        parse_formatted("hi", "bbcode", None)


def test_spec_is_trimmed_and_complete() -> None:
    raw = json.loads(resources.files("botapi_stub").joinpath("botapi_spec.json").read_text())
    assert raw["version"] == "Bot API 10.1"
    send_message = raw["methods"]["sendMessage"]["fields"]
    assert {"name": "chat_id", "types": ["Integer", "String"], "required": True} in send_message
    assert all(
        set(f) == {"name", "types", "required"}
        for m in raw["methods"].values()
        for f in m["fields"]
    )
    assert SPEC.method("SendMessage") is SPEC.method("sendmessage")
    assert len(SPEC.method_names) == len(raw["methods"])


def test_spec_decode_converts_form_strings() -> None:
    method = SPEC.method("sendMessage")
    assert method is not None
    params = SPEC.decode(
        method,
        {
            "chat_id": "1001",
            "text": "123",
            "disable_notification": "true",
            "reply_markup": '{"remove_keyboard": true}',
        },
    )
    assert params == {
        "chat_id": 1001,
        "text": "123",
        "disable_notification": True,
        "reply_markup": {"remove_keyboard": True},
    }
    assert SPEC.decode(method, {"chat_id": "@channel", "text": "x"})["chat_id"] == "@channel"


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": "x"}, "Bad Request: chat_id is empty"),
        ({"chat_id": "1"}, "Bad Request: message text is empty"),
        ({"chat_id": "1", "text": "x", "bogus": "1"}, 'Bad Request: unknown parameter "bogus"'),
        ({"chat_id": "1", "text": "x", "message_thread_id": "x"}, "must be of type Integer"),
        ({"chat_id": "1", "text": "x", "entities": "[oops"}, "can't parse entities JSON object"),
    ],
)
def test_spec_decode_rejects_invalid_params(params: dict[str, str], description: str) -> None:
    method = SPEC.method("sendMessage")
    assert method is not None
    with pytest.raises(ApiError) as caught:
        SPEC.decode(method, params)
    assert caught.value.status == 400
    assert description in caught.value.description


def test_spec_decode_accepts_uploads_for_input_files() -> None:
    method = SPEC.method("sendDocument")
    assert method is not None
    upload = UploadedFile("a.txt", "text/plain", b"x")
    assert SPEC.decode(method, {"chat_id": 1, "document": upload})["document"] is upload
