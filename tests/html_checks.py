"""Checks of the HTML that the suite's requests get back, whatever the test asserts.

A form inside another form is not HTML: a browser drops the inner <form> tag,
and its closing tag ends the outer form early. A publish button once sat in a
form nested in the case's change form; every test that posted straight to the
publish URL passed, and no publisher could publish. tests/conftest.py runs
this check on every admin page the suite visits, through the test client or
the live server that the browser tests use.
"""

from html.parser import HTMLParser


class _FormNesting(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_forms: list[tuple[int, str]] = []
        self.nested: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "form":
            return
        attributes = dict(attrs)
        name = attributes.get("id") or attributes.get("action") or "(no id or action)"
        line, _ = self.getpos()
        if self.open_forms:
            outer_line, outer = self.open_forms[-1]
            self.nested.append(
                f"<form {name}> on line {line} is inside <form {outer}> of line {outer_line}"
            )
        self.open_forms.append((line, name))

    def handle_endtag(self, tag):
        if tag == "form" and self.open_forms:
            self.open_forms.pop()


def nested_forms(html: str) -> list[str]:
    """Each form that opens inside another, described with both lines."""
    parser = _FormNesting()
    parser.feed(html)
    parser.close()
    return parser.nested
