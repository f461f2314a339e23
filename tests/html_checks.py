"""Reading served HTML the way a browser with a strict Content-Security-Policy would."""

from html.parser import HTMLParser

NON_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCode(HTMLParser):
    """What a policy without 'unsafe-inline' would block (or an injection would run), as short descriptions."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"at line {self.getpos()[0]}"
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in NON_SCRIPT_TYPES:
            self.found.append(f"<script> {where}")
        if tag == "style":
            self.found.append(f"<style> {where}")
        for name, value in attrs:
            scheme_is_script = name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            )
            if name.startswith("on") or name == "style" or scheme_is_script:
                self.found.append(f'{tag} {name}="{value}" {where}')


def inline_code(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found
