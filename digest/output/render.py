"""Digest -> Markdown / HTML / plain text through Jinja2 templates.

Templates are found on a search path, first match wins: the user's folder (``--templates``),
then the ones that ship with digest. A user overrides one file and inherits the rest.

Article text is untrusted. In HTML, autoescaping is on for every template. In Markdown, the
``md`` filter escapes everything that Markdown would turn into markup (HTML tags, links,
emphasis, headings), so a renderer shows an article's ``<script>`` as text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from ..errors import TemplateError
from ..models import Digest, Importance, Outlet, StoryView
from ..report import count
from .page import Navigation, picture
from .urls import safe_url as safe_url  # where templates and callers have found it

TEMPLATE_FOR = {"md": "digest.md", "html": "digest.html", "txt": "digest.txt",
                "email": "email.html"}
# The formats whose templates draw the picture of the day (README "Templates").
PAGE_FORMATS = frozenset({"html", "email"})
# The e-mail page is a second HTML file beside the web page: <date>.email.html.
SUFFIX_FOR = {"md": ".md", "html": ".html", "txt": ".txt", "email": ".email.html"}

_MD_INLINE = re.compile(r"([\\`*_{}\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def md_escape(text: object) -> str:
    """Text that Markdown renders as itself, on one line."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_INLINE.sub(r"\\\1", value)
    match = _MD_LINE_START.match(value)
    if match is None:
        return value
    lead, marker = match.groups()
    if marker[0].isdigit():  # "1. " would start a numbered list: escape the dot
        return f"{lead}{marker}\\{value[match.end():]}"
    return f"{lead}\\{marker}{value[match.end():]}"


def default_templates() -> Path:
    # In a source checkout (or an editable install run from it) the templates/ folder beside the
    # package is the one to use; an installed wheel carries them as digest.templates.
    beside = Path(__file__).resolve().parents[2] / "templates"
    if (beside / TEMPLATE_FOR["md"]).is_file():
        return beside
    # digest.templates has no __init__.py, so files() may give a MultiplexedPath, whose str()
    # is no folder name; a file inside it is a real path.
    return Path(str(resources.files("digest.templates").joinpath(TEMPLATE_FOR["md"]))).parent


def search_path(user_dir: str | None) -> list[str]:
    path = []
    if user_dir is not None:
        if not Path(user_dir).is_dir():
            raise TemplateError(f"{user_dir}: no such templates folder (check --templates)")
        path.append(user_dir)
    path.append(str(default_templates()))
    return path


# One environment per templates folder: a run renders several formats, the day record and the
# archive, and an environment keeps what it compiled (it still sees a template file change).
@functools.lru_cache(maxsize=8)
def environment(user_dir: str | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search_path(user_dir)),
        # Every template is escaped as HTML unless it is Markdown or plain text, whose escaping
        # the templates do with the md filter (Markdown) or need none (text).
        autoescape=lambda name: name is None or not name.endswith((".md", ".txt")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_escape
    env.filters["safe_url"] = safe_url
    return env


# An outlet list names this many and counts the rest: "AP, Reuters and 3 more".
OUTLETS_NAMED = 3


@dataclass(frozen=True)
class SourceView:
    name: str
    url: str | None
    after: str = ""  # what follows it in a list: ", ", " and ", " and 3 more", ""


@dataclass(frozen=True)
class SentenceView:
    text: str
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class DevelopingView:
    """A story of the section that goes on with one an earlier digest told."""

    day: int  # its day in the thread
    earlier_title: str
    earlier_day: str
    # The earlier day's file that is there (the page's link to the day before goes to the same
    # one); None with none there, or in an e-mail without the folder's URL.
    link: str | None

    @property
    def md(self) -> str | None:  # templates written before the link was one
        return self.link

    @property
    def html(self) -> str | None:
        return self.link


@dataclass(frozen=True)
class StoryItem:
    """A story in a section: its headline ("title", or "lead" when no article has a title),
    the sentences shown under it, its outlets, and the earlier story it goes on with."""

    headline: str
    kind: str
    sentences: tuple[SentenceView, ...]
    outlets: tuple[SourceView, ...]
    importance: Importance
    developing: DevelopingView | None = None  # shown under the headline it belongs to


@dataclass(frozen=True)
class SectionView:
    title: str
    description: str
    sentences: tuple[SentenceView, ...]  # every picked sentence, in reading order
    sources: tuple[SourceView, ...]  # every outlet behind the section's stories, once
    stories: tuple[StoryItem, ...] = ()  # most important first
    briefs: tuple[StoryItem, ...] = ()  # headline and outlets only
    more: str = ""  # "and 12 more stories", or "" when none was left out
    # Every story's mark, in story order: for templates written before each story had its own.
    developing: tuple[DevelopingView, ...] = ()


def view(digest: Digest, nav: Navigation | None = None) -> list[SectionView]:
    """The sections as templates draw them; ``nav`` (the page's links to other days) links a
    story going on to the earlier day's file."""
    def source(s: str) -> SourceView:
        return SourceView(digest.source_names.get(s, s), safe_url(digest.source_urls.get(s)))

    thread = {c.story_id: DevelopingView(c.thread_day, c.earlier_title, c.earlier_day,
                                         nav.page(c.earlier_day) if nav is not None else None)
              for c in digest.continues}
    views = []
    for section in digest.sections:
        if not (section.stories or section.briefs or section.more):
            continue
        # A story going on is marked wherever it is shown, in full or in brief.
        stories = tuple(_story(s, thread.get(s.story_id)) for s in section.stories)
        briefs = tuple(_story(s, thread.get(s.story_id)) for s in section.briefs)
        outlets = {o.name: o for s in section.stories + section.briefs for o in s.outlets}
        developing = tuple(s.developing for s in stories + briefs if s.developing is not None)
        views.append(SectionView(
            section.title, section.description,
            tuple(SentenceView(p.text, tuple(source(s) for s in p.sources))
                  for p in section.picked),
            _listed(tuple(outlets.values()), len(outlets)), stories, briefs,
            _more(section.more, bool(stories or briefs)), developing))
    return views


def _story(story: StoryView, developing: DevelopingView | None = None) -> StoryItem:
    return StoryItem(story.headline.text, story.headline.kind,
                     tuple(SentenceView(s.text, ()) for s in story.body),
                     _listed(story.outlets), story.importance, developing)


def _listed(outlets: tuple[Outlet, ...], named: int = OUTLETS_NAMED) -> tuple[SourceView, ...]:
    """The outlets as a reader lists them: "A", "A and B", "A, B and C", "A, B and 3 more"."""
    shown = outlets if len(outlets) <= named else outlets[:named - 1]
    rest = len(outlets) - len(shown)
    views = []
    for i, outlet in enumerate(shown):
        left = len(shown) - 1 - i
        after = (", " if left > 1 or (left == 1 and rest) else " and " if left == 1
                 else f" and {rest} more" if rest else "")
        views.append(SourceView(outlet.name, safe_url(outlet.url), after))
    return tuple(views)


def _more(left_out: int, after_others: bool) -> str:
    if not left_out:
        return ""
    if after_others:
        return "and " + count(left_out, "more story", "more stories")
    return count(left_out, "story", "stories") + " not shown"


def output_name(date: str, fmt: str) -> str:
    return date + SUFFIX_FOR[fmt]


def render(digest: Digest, fmt: str, templates: str | None = None,
           nav: Navigation | None = None) -> str:
    """The digest in one format (md, html, txt, email) as text.

    ``nav`` links the page to the archive and the day before (the daily job's pages); without
    it the page stands alone (preview, --no-state).
    """
    text = render_template(TEMPLATE_FOR[fmt], templates, digest=digest, title=digest.title,
                           date=digest.date, sections=view(digest, nav),
                           picture=picture(digest) if fmt in PAGE_FORMATS else None, nav=nav)
    if fmt == "email":
        # Mail clients drop <style> blocks: every rule goes into the style attributes. The
        # @media rules (dark scheme, narrow screens, print) stay in a <style> for the clients
        # that read one; they cannot be inlined.
        import css_inline

        text = css_inline.CSSInliner(keep_at_rules=True).inline(text)
    return text


def render_template(name: str, templates: str | None = None, **context: object) -> str:
    """Any template on the search path, rendered with ``context``."""
    env = environment(templates)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"no template {exc.name} in: {', '.join(search_path(templates))} "
                            "(add it to your --templates folder)") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template error: "
                            f"{exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {name} failed to render: {exc}") from None
