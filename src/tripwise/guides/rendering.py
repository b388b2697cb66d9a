"""Markdown to safe HTML. Editors write markdown; whatever HTML they paste is cleaned by nh3 (an allow-list)."""

from __future__ import annotations

import markdown
import nh3

_ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "blockquote", "ul", "ol", "li", "a", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img", "sup", "sub",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "h2": {"id"}, "h3": {"id"}}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=["extra", "sane_lists", "toc"], output_format="html")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def section_titles(text: str) -> list[tuple[str, str]]:
    """(anchor, title) of each level-2 heading, for the guide's table of contents."""
    md = markdown.Markdown(extensions=["toc"])
    md.convert(text)
    found: list[tuple[str, str]] = []
    pending = list(getattr(md, "toc_tokens", []))
    while pending:  # tokens nest: an h1 holds its h2s as children
        token = pending.pop(0)
        if token.get("level") == 2:
            found.append((token["id"], token["name"]))
        pending[:0] = token.get("children", [])
    return found
