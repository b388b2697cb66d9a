"""A campaign's markdown as the two parts of its email: sanitised HTML (the guides' renderer: an allow-list
of tags, http/https/mailto links only) and plain text written from that same HTML, so both say the same."""

from __future__ import annotations

import html
import re

import nh3

from tripwise.guides.rendering import render_markdown

_LINK = re.compile(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_BLOCK_END = re.compile(r"</(p|h2|h3|h4|blockquote|pre|tr|table|figure)>|<br\s*/?>|<hr\s*/?>")
_ITEM = re.compile(r"<li[^>]*>")
_HEADING = re.compile(r"<h[234][^>]*>")


def campaign_html(body: str) -> str:
    return render_markdown(body)


def campaign_text(body: str) -> str:
    """The plain-text part: paragraphs, "- " items, links as "text (address)"."""
    marked = _LINK.sub(
        lambda found: f"{found.group(2)} ({html.unescape(found.group(1))})", campaign_html(body)
    )
    marked = _ITEM.sub("- ", _HEADING.sub("\n", marked))
    marked = _BLOCK_END.sub("\n", marked)
    text = html.unescape(nh3.clean(marked, tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", paragraphs).strip() + "\n"
