"""Captions, bylines, credits, notes to editors and repeated lines out: what is not prose.

Rules are general conventions of news copy, each a named predicate on one line, so that
``digest inspect`` can say why a line went. They look at the shape of a line (a credit tag at its
end, a photo position marker and a date, a "Source:" label), never at particular stories. The
wire's header before a paragraph's first words (its code, dateline and slugs) goes too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from ..models import Article, Cleaned, Paragraph, Problem, Removed
from ..stories import outlet_name
from ..text import is_answer, is_question, match_form, match_letters

# Agencies and picture desks whose name in parentheses closes a photo caption: "(Reuters)".
_AGENCIES = (r"AP|AFP|Reuters|EPA|Getty(?: Images)?|Xinhua|Bloomberg|AAP|ANP|DPA|UPI|PA|"
             r"ANSA|Kyodo|Yonhap|TASS|Sputnik|Anadolu(?: Agency)?|IANS|PTI|Pool|File|Handout|"
             r"Shutterstock|Alamy|NurPhoto|SIPA|Sipa|Abaca")
_CREDIT_TAG = re.compile(
    rf"\((?:(?:{_AGENCIES})(?:\s*(?:Photo|Images?|Pictures?|/[^()]{{0,40}}))*|"
    r"(?:[^()]{0,40}\b)?(?:Photo|Picture|Image|File photo|Handout)(?:\b[^()]{0,40})?)\)\s*$"
)
# Photo captions name people by position ("(C)", "(centre, L)") and end with the date taken.
_POSITION = re.compile(r"\((?:(?:centre|center|front|back|top|bottom|second from )?,?\s*"
                       r"(?:[LRC]|left|right|centre|center))\)", re.I)
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec")
_CAPTION_DATE = re.compile(rf"(?:{_MONTHS})\.? \d{{1,2}}, \d{{4}}\.?\s*(?:\([^()]*\))?\s*$")
# A photo service's caption opens with the picture's number ("(NYT23) ") and credits the
# photographer in parentheses, where a desk code may follow ("(Jo Roe/Metro Photo) *LITE").
_PICTURE_NUMBER = re.compile(r"^\([A-Z]{2,5}\d{1,3}\)\s")
_PICTURE_CREDIT = re.compile(r"\([^()]{0,60}\b(?:Photos?|Pictures?|Images?|Illustrations?|"
                             r"Graphics?)\)")
_LABELLED_CREDIT = re.compile(
    r"^\(?(?:Sources?|Photos?|Images?|Pictures?|Video|Graphics?|Credits?|Via|"
    r"(?:Additional )?Reporting(?: by)?|Writing(?: by)?|Edit(?:ed|ing)(?: by)?|Compiled(?: by)?|"
    r"Produced by|Written by)\s*[:\-\u2013\u2014]\s*\S.{0,80}$|"
    r"^\(?(?:(?:Additional )?Reporting|Writing|Editing|Compiled|Produced) by \S.{0,120}$",
    re.I,
)
# A byline may wear a typesetter's mark: "*By ROBERT W. BLACK".
# A name's words are never small words: "By Ferry Or By Air, Islanders Wait" is a headline.
# A time and a comma opens a headline ("By Friday, Ferry Strike Could Be Over"); "April Ryan"
# is a writer.
_NAME_WORD = (r"(?!(?:Or|By|The|Of|An?|For|In|On|To|At|And|With)\b)"
              r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|"
              r"March|April|May|June|July|August|September|October|November|December|Noon|"
              r"Midnight|Dawn|Tonight),)[A-Z][\w.'\u2019-]+")
_BYLINE = re.compile(r"^[*\u2022\u00b7]?\s*(?:By|BY)\s+"
                     rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
                     rf"(?:(?:\s*,|\s+(?:and|&))\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})*"
                     r"(?:\s*[,|\u2013\u2014-]\s*.{0,60})?$")
# "(by Jane Roe)", and the writer's note closing a column: "(Jane Roe is a Globe columnist.)",
# "(Jo Poe and Al Dee are Metro Times correspondents based in Lima.)".
_NOTED_WRITER = re.compile(
    r"^\((?:[Bb]y\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}|"
    r"[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|and|&))+\s+(?:(?:is|are)\b[^()]{0,150}?\b"
    r"(?:writer|columnist|editor|correspondent|reporter|critic|contributor|chief of)s?\b|"
    r"writes\b)[^()]*)\)\.?$")
# Outside parentheses the note is one short line: "Jo Poe writes for the Metro Times, Lima."
_WRITES_FOR = re.compile(r"^[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){1,3}\s+writes\s+"
                         r"(?:[a-z]+\s+){0,4}for\s+(?:the\s+)?[A-Z]")
WRITER_NOTE_MAX_WORDS = 16
# "TRT World's Christine Pirovolakis reports." A report credit is short; a sentence that only
# happens to end in "reports" is longer and has a verb phrase before it.
_REPORTS = re.compile(r"(?:(?<!the )(?<!this )(?<!a )\breports?|\breporting|"
                      r"contributed(?: to)? this report|"
                      r"reports? from [\w ,.'-]+|\bhas (?:more|the story|this report))\s*\.?$",
                      re.I)
REPORT_CREDIT_MAX_WORDS = 8
# A line that only names who helped: "Associated Press writer Jo Poe in Lima contributed to
# this report." (one sentence, however many names).
_CONTRIBUTORS = re.compile(r"^[A-Z][^.!?]{0,200}?\bcontributed(?: to)? this "
                           r"(?:report|story|article)\.?$")
# In parentheses a contributors' line may be long: "(Jo Poe, Al Dee and ... contributed to
# this report.)", "(Wire service material was used in this report.)".
_NOTED_REPORT = re.compile(r"^\(.*\b(?:contributed(?: to)?|(?:was|were) used (?:in|to prepare))"
                           r" (?:this|the) (?:report|story|article)\.?\)\.?$", re.I)
_BOILERPLATE = re.compile(
    r"^(?:\u00a9|Copyright\s*(?:\u00a9|\(c\)|(?:19|20)\d\d\b|by\b)|All rights reserved|"
    r"Follow (?:us|\w+) on\b|Read more\b|"
    r"Click here\b|Sign up\b|Subscribe\b|Share this\b|Related:|Advertisement$|"
    r"This (?:article|story) (?:was|has been) (?:updated|corrected)\b|\(c\)\s*\d{4}\b|"
    r"c\.\s?(?:19|20)\d\d,\s|"  # the New York Times wire's "c.2000, San Francisco Chronicle"
    r"Our Standards:|\(\([^()]*@[^()]*\)\)$|"  # Reuters' trust line; "((jo@example.com))"
    # A blog engine's feed footer: "The post Storm warning appeared first on Bayside Echo."
    r"The post .{1,300} appeared first on .{1,120}$|"
    r"\(?Visit (?:the|our) [^()]{0,80}(?:www\.|https?://|on the (?:World Wide )?Web)|"
    r"(?:Contact|Write to|E-?mail) (?:the (?:writer|reporter|author)|[A-Z][\w.'\u2019-]*"
    r"(?: [A-Z][\w.'\u2019-]*){0,3}) at \S+@\S+$)", re.I)
# Anywhere in a line, as written (prose may say "all rights reserved"), after an address too.
_COPYRIGHT = re.compile(r"\bCOPYRIGHT \d{4}\b|\bAll rights reserved\b")
# The role under a byline, on a line of its own: "*Associated Press Writer", "Staff Writer".
_ROLE_LINE = re.compile(r"^[*\u2022\u00b7]?\s*(?:[A-Z][\w&.'\u2019-]*\s+){1,5}"
                        r"(?:Writer|Correspondent|Columnist|Editor)s?$")
# What the wire sets before a story's first words: its transmission code ("(NYT23)",
# "(UNDATED)"), its dateline, with an agency ("LIMA, Peru (Reuters) - ", AP's typewriter
# "BERLIN (AP) _ ", "PORT ELLEN, May 3 (xinhua) --", the agency alone "(Reuters) - ") or
# without ("LOS ANGELES -- ", "LIMA, Ohio --", "(HARBOURTON, Fla.) --"), the date ("Oct. 28,
# 1998 --") and slugs ("ISRAEL-FILMS, 10-28 --", "ADV. FOR SUN., MAR. 8 --"). The place goes
# with the rest: a headline is the news, and a dateline without an agency is the same
# convention as one with it. Without an agency the place is in capitals ("Washington -- "
# stays: a capitalised word before a dash may be prose). Any paragraph may open with one: each
# item of a roundup, or of a wire's list of stories, does.
_DASH = r"\s*(?:(?:-{1,2}|[\u2013\u2014]|_)(?:\s+|$)|_(?=[A-Z\"]))"  # "HARBOURTON, N.C._Police"
_CODE = (r"(?:\((?:[A-Z]{2,5}\d{1,3}|UNDATED|Undated)\)\s*(?:(?:-{1,2}|[\u2013\u2014]|_)\s+)?|"
         r"UNDATED:\s+)")
_PLACE = (r"[A-Z][A-Z.'&-]+(?:\s+[A-Z][A-Z.'&-]*){0,4}"  # NEW YORK, U.S. VIRGIN ISLANDS
          r"(?:,\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})?"  # , Calif. / , N.Y. / , Mexico
          r"(?:\s*\([A-Z][\w .'-]{1,30}\))?")  # (Hebei)
_DAY = rf"(?:{_MONTHS})\.?\s+\d{{1,2}}"
_WIRE_PLACE = (rf"(?:(?:{_PLACE}|\({_PLACE}\))(?:,\s*{_DAY})?,?(?={_DASH})|"
               rf"(?:[A-Z][\w .,'()\u00a0-]{{1,40}}?\s*)?\((?i:{_AGENCIES})\s*\))")
_SLUG = (r"(?:[A-Z0-9][A-Z0-9&;]*(?:\s[A-Z0-9&;]+)?(?:-[A-Z0-9&;]+)+(?:,\s*\d{1,2}-\d{1,2})?|"
         r"ADV\.?(?:\s+FOR\s+[A-Z]{3}\.?,?(?:\s+[A-Z]{3,4}\.?\s+\d{1,2})?)?)")
WIRE_HEADER = re.compile(
    rf"^(?:{_CODE})?(?:{_SLUG}{_DASH}){{0,3}}(?:{_WIRE_PLACE}{_DASH}"
    rf"(?:{_DAY},\s*\d{{4}}{_DASH})?(?:{_SLUG}{_DASH}){{0,3}})?")
# The name bench/merge.py knows it by.
DATELINE = WIRE_HEADER


# Wire services' typesetting codes ("&UR;", "&QL;", "&Cx1f;"): each ends or starts a line of
# the wire copy, so it becomes a line break, and what it set apart is judged as a line.
_WIRE_CODE = re.compile(r"&(?:[A-Z]{2}|Cx[0-9a-fA-F]{2});")
# The wire's ampersand, in capitals as its codes are: "Harbour &AMP; Sons".
_AMPERSAND = re.compile(r"&(?:AMP|amp);")
# What the desk tells editors, never readers: notes ("EDITOR'S NOTE:", "Eds: UPDATES with ...",
# "(ATTN: Ariz.)"), filing lines ("Story filed by ...", "(For use by ... clients)"), and
# pickup instructions, which count paragraphs in "grafs" and point at the previous version
# ("pvs"), always in lower case: "Steffi Graf" and a "pickup truck" are prose.
_DESK_LABEL = (r"EDITOR'?S'? NOTE|EDITORS'? NOTE|EDS?\.?|Eds?\.?|EDs|Editors?|ATTN|"
               r"(?-i:ATTENTION(?: (?:EDITORS?|PHOTO EDITORS?|NEWS EDITORS?|EDS))?)|"
               r"NONSUBSCRIBERS|SUBS|CORRECTION")
# A wire slug may come first: "HARBOUR-STORM -- Eds: ...".
_DESK_NOTE = re.compile(rf"^\(?\s*(?-i:[A-Z0-9]+(?:-[A-Z0-9]+)+\s*[-:\u2013\u2014]+\s*)?"
                        rf"(?:{_DESK_LABEL})\s*[:\-\u2013\u2014]", re.I)
# Short lines only: "Story filed by Metro Newspapers", "c.2026 Metro News Service".
_FILED = re.compile(r"^\(?\s*(?:(?:Story|Article) filed by\s|"
                    r"(?:_?(?-i:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}),\s*)?"
                    r"c\.\s?\d{4}\s+\S)", re.I)
FILED_MAX_WORDS = 8
_DESK_VERB = re.compile(r"^\(?\s*(?:REPEATS|CORRECTS|UPDATES|ADDS|TRIMS|SUBS|RECASTS|"
                        r"REFILES|RETRANSMITTING|UPPICKS|EDITS)\b")
_PICKUP = re.compile(r"\b(?:grafs?|GRAFS?|grf|pvs)\b")
# A desk note in parentheses inside a line of prose: "(EDS: budgeted earlier as ...)".
_DESK_ASIDE = re.compile(
    rf"\(\s*(?:(?:{_DESK_LABEL})\s*[:\-\u2013\u2014,]|(?:Story|Article) filed by\b|"
    r"For (?:use|release) (?:by|in|on)\b|Distributed by\b|"
    # A release or embargo note: "(FOR RELEASE SUNDAY)", "(EMBARGOED UNTIL 0001 GMT)".
    r"(?-i:(?:HOLD )?FOR RELEASE|EMBARGOED|ADVANCE FOR)\b)[^()]*(?:\([^()]*\)[^()]*)*\)|"
    r"(?-i:\((?:SET|END|BEGIN) (?:ITAL|ITALS|ITALICS|BOLD)\))",  # typesetting: "(SET ITAL)"
    re.I)
# A wire's flags on a headline, for editors: "URGENT", "UPDATE 2-", "REFILE-", "EDS-more details
# added", "... EDS-Updates with more details", "EDS: ADDS background", a version's part "(2)".
_TITLE_FLAG = re.compile(
    r"^(?:URGENT|FLASH|BULLETIN|BREAKING(?: NEWS)?|ALERT)\b\s*[-:\u2013\u2014]?\s*|"
    r"^(?:UPDATE|REFILE|CORRECTED|RPT|WRAPUP|EXCLUSIVE)(?:\s*\d+)?\s*[-:\u2013\u2014]\s*")
_TITLE_EDS = re.compile(r"\bEDS?\s*[-:]\s*(?i:(?:more\s+)?details\s+added\b|"
                        r"updates?\s+with\s+(?:more\s+|new\s+)?details\b|"
                        r"(?:adds?|updates?|recasts?|corrects?|changes?)\b.*$)")
_PART_NUMBER = re.compile(r"\s*\(\d{1,2}\)$")
# Inline markup a feed or an export leaves in a title: "after <b>bank</b> robbery". Only these
# tags: a title about "<script>" in an app says what it says.
_TITLE_MARKUP = re.compile(r"</?(?:b|i|em|strong|u|s|span|font|mark|small|big|sup|sub|a|br|q|"
                           r"abbr|cite|code|time)\b[^<>]{0,300}>", re.I)
# What a syndicate tells the papers buying its copy, a paragraph in parentheses: "(Papers that
# want to run this piece buy it from the Harbour Syndicate's sales representative.)".
_SALES_NOTE = re.compile(r"^\(.*(?:\bto publish this\b|\bmust be purchased\b|separate buy\b|"
                         r"\bsales representatives?\b|\bhow to subscribe\b|"
                         r"\bnot for publication\b).*\)\.?$", re.I)
# What a wire or syndicate tells its client papers, in a line of its own: "The Harbour Gazette
# will move these for clients of the Metro Wire", "For a resend, call the Metro Wire desk at
# 555-010-0199", "A second column is in your system under the slug ...". The desk's words
# count only beside the wire's own (a story's "fees charged to clients of payday lenders",
# "officers will file the following day" stay), and a phone number only with a call to it
# ("the wire service at 555-... was down" stays).
_PHONE = r"\(?\b\d{3}\)?[\s.-]\d{3}-\d{4}\b"
_CLIENT_WORDS = re.compile(
    r"\bneed a resend\b|\b(?:for|to) clients of\b|\bfor editions of\b|\bin your system under\b|"
    r"\b(?:move|file)s? the following\b|\bplans? to move for\b|\bto purchase this\b|"
    rf"\bquestions should be directed to\b|\bcall\b[^()]{{0,80}}{_PHONE}", re.I)
# The wire's own names for itself, as it writes them: a crime story's "syndicate" or "wire
# fraud" is none.
_WIRE_WORDS = re.compile(r"(?-i:News Service|Syndicate)|\bwire\b(?! fraud)|CoxNet|news desk|"
                         r"business desk|\bslug\b", re.I)
# A budget's heading: "Weekend Section stories from the Metro Wire News Service for ...".
_BUDGET_HEAD = re.compile(r"\b(?:stories|columns|articles|features) (?:from|for release|moving)"
                          r"\b.*\bNews Service\b")
_QUESTIONS_CALL = re.compile(
    rf"^\(?(?:For|If you have) (?:any )?questions\b.{{0,80}}\bcall\b.{{0,80}}{_PHONE}", re.I)


def _client_note(line: str) -> bool:
    return bool((_wire_words(line) and _CLIENT_WORDS.search(line))
                or _QUESTIONS_CALL.match(line)
                or ("News Service" in line and _BUDGET_HEAD.search(line)))


# What _WIRE_WORDS needs in an ASCII line, folded: looked for first (a scan of every line for
# the pattern costs more). In other text Unicode's case rules match more (a long s for "s").
_WIRE_LITERALS = ("news service", "syndicate", "wire", "coxnet", "news desk", "business desk",
                  "slug")


def _wire_words(line: str) -> bool:
    if line.isascii():
        folded = line.lower()
        for word in _WIRE_LITERALS:  # a loop, not any(): most lines hold none
            if word in folded:
                break
        else:
            return False
    return bool(_WIRE_WORDS.search(line))


# A date alone on a line ("Tuesday, March 3, 2026"): when the copy moved, not news.
_DATE_LINE = re.compile(r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
                        rf"(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}\.?$")
# Wire separators and continuation marks on a line of their own, the desk's initials after one
# ("(MORE) nn"); a typesetting mark alone: "(BOX)", "(END SIDEBAR)". Only these words: a line
# of hard-wrapped prose may be "(NATO)." alone.
_SEPARATOR = re.compile(r"^\(?(?:-0-|MORE|END)\)?(?:\s+[a-z]{1,3})?$|"
                        r"^(?:[-_=*#\s]{3,}|[^\w\s]+)$|"
                        r"^\((?:END\s+)?(?:BOX|SIDEBAR|CHART|TABLE|GRAPHIC|INSERT)(?:\s+ENDS?)?\)$")
# A wire's name alone on a line, in the capitals of its slug lines ("METRO WIRE NEWS
# SERVICE"; a headline's "Police Bust Crime Syndicate" is news), a budget entry's credit
# ("(Poe, Metro Times News Service)."), the head of its list of links ("RELATED SITES: ...").
_WIRE_NAME_LINE = re.compile(
    r"^(?!BY\s)[A-Z][A-Z&.'-]*(?:\s+[A-Z][A-Z&.'-]*){0,5}\s+NEWS SERVICE$|"
    r"^\([A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,2},\s+[^()]{2,60}"
    r"(?-i:News Service|Syndicate|Newspapers|News Agency)\)\.?$|"
    r"^(?-i:RELATED (?:SITES|LINKS|WEB ?SITES)|ON THE WEB)\s*:")
# Where an editor may cut the story: "(BEGIN OPTIONAL TRIM)", "(Story may end here.)"; and
# the desk's initials signing off AP copy: "(jt/ab)", "(pq-rs)".
_TRIM = re.compile(r"^\(?\s*(?:(?:BEGIN|END|FIRST|SECOND|THIRD)\s+)*OPTIONAL\s+"
                   r"(?:TRIM|MATERIAL|ADD)\b|"
                   r"^\(?\s*Story (?:can|could|may) end here\b", re.I)
# Bounded: unbounded runs of "ab/" split many ways (quadratic on a long line in parentheses).
_SIGN_OFF = re.compile(r"^\((?:[A-Za-z]{1,6}[/-]){0,3}[a-z]{2,6}(?:[/-][A-Za-z]{1,6}){0,3}\)$")
# A budget's entry for a story: its slug line ("BC-HARBOUR-STORM-NYT"), and what it says of the
# story's moving: "(Poe, Metro Times). MOVED TUESDAY", "ETA: 6 p.m.", "Story will move in the
# "A" category." (MOVED in capitals after a sentence, not in a headline's "TROOPS MOVED").
_BUDGET = re.compile(r"^BC-[A-Z0-9]+-|(?:^|[.)]\s*)MOVED(?:\s+[A-Z]+DAY)?(?:\.?$|\s+in\b)|"
                     r"\bETA:?\s*\d{1,2}(?::\d\d)?\s*[ap]\.?m\b|"
                     r"\b[Ss]tor(?:y|ies) (?:will|to) move (?:in (?:the )?\W?\w\W? categor|at \d)")
# An interview's "Q." or "A." alone on a line: it belongs to the text that follows it.
_INTERVIEW_MARKER = re.compile(r"^\s*(?:Q|A)\s*[.:]?\s*$")


def _desk_note(line: str) -> bool:
    return bool(_DESK_NOTE.match(line) or _DESK_VERB.match(line) or _pickup(line)
                or _SEPARATOR.match(line.strip()) or _TRIM.match(line)
                or _SIGN_OFF.match(line.strip()) or _budget_entry(line)
                or _SALES_NOTE.match(line.strip()) or _client_note(line)
                or _DATE_LINE.match(line.strip()) or _WIRE_NAME_LINE.match(line.strip())
                or (_FILED.match(line) and len(line.split()) <= FILED_MAX_WORDS))


def _pickup(line: str) -> bool:
    # The words looked for first, as _budget_entry does.
    return (("graf" in line or "GRAF" in line or "grf" in line or "pvs" in line)
            and bool(_PICKUP.search(line)))


def is_note_to_editors(line: str) -> bool:
    """A line the desk writes for editors, never readers: "EDITOR'S NOTE: ...", "Eds: ...", a
    pickup or a filing line, a separator."""
    return _desk_note(line)


def _budget_entry(line: str) -> bool:
    # The words looked for first: a scan of every line for the pattern costs more.
    return (line.startswith("BC-") or "MOVED" in line or "ETA" in line or "move" in line) and bool(
        _BUDGET.search(line))


def _credit_tagged(line: str) -> bool:
    return bool(_CREDIT_TAG.search(line))


def _photo_caption(line: str) -> bool:
    return bool((_POSITION.search(line) and _CAPTION_DATE.search(line))
                or (_PICTURE_NUMBER.match(line) and _PICTURE_CREDIT.search(line)))


def is_credit_line(line: str) -> bool:
    """A byline, a credit, a writer's note or role: who wrote or supplied the text."""
    return bool(_LABELLED_CREDIT.match(line) or _BYLINE.match(line) or _NOTED_WRITER.match(line)
                or _ROLE_LINE.match(line) or _CAPS_BYLINE.match(line)
                or (_WRITES_FOR.match(line) and len(line.split()) <= WRITER_NOTE_MAX_WORDS))


def _report_credit(line: str) -> bool:
    # Words counted no further than the limit (a line may be a whole paragraph), and
    # "contributed" looked for before the pattern that needs it scans the line.
    return ((len(line.split(None, REPORT_CREDIT_MAX_WORDS)) <= REPORT_CREDIT_MAX_WORDS
             and bool(_REPORTS.search(line)))
            or bool(_NOTED_REPORT.match(line))
            or ("contributed" in line and bool(_CONTRIBUTORS.match(line))))


def _boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.match(line)
                or (("COPYRIGHT" in line or "reserved" in line) and _COPYRIGHT.search(line)))


RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("caption credit tag", _credit_tagged),
    ("photo caption", _photo_caption),
    ("credit or byline", is_credit_line),
    ("report credit", _report_credit),
    ("boilerplate", _boilerplate),
    ("note to editors", _desk_note),
)


# A line repeating an earlier one is dropped only from this many words: a pull quote or a
# caption is a sentence, while a hard-wrapped text repeats short fragments ("up.") and a
# transcript repeats short lines ("PILOT Pull up now.") that are its text.
REPEAT_MIN_WORDS = 5
EMPTIED = "no article text left after removing captions and credits"


def clean(articles: Iterable[Article]) -> Cleaned:
    kept: list[Article] = []
    removed: list[Removed] = []
    emptied: list[Problem] = []
    for article in articles:
        article_out, gone = clean_article(with_credited_outlet(article))
        removed.extend(gone)
        if any(not p.is_heading for p in article_out.paragraphs):
            kept.append(article_out)
        else:
            emptied.append(Problem(article.source, EMPTIED))
    return Cleaned(tuple(kept), tuple(removed), tuple(emptied))


def rule_for(line: str) -> str | None:
    """The name of the first rule that says ``line`` is not prose, or None."""
    for name, matches in RULES:
        if matches(line):
            return name
    return None


def clean_article(article: Article) -> tuple[Article, list[Removed]]:
    removed: list[Removed] = []
    paragraphs: list[Paragraph] = []
    # The lines kept, by the letters of their match_form: a form is found only for lines whose
    # letters agree (a line is most often a paragraph, and its form costs more to find).
    seen: dict[bytes, list[str]] = {}
    marker = ""  # an interview's "Q." waiting for the text it introduces
    for paragraph in article.paragraphs:
        text = paragraph.text
        if "&" in text:  # both codes open with one; most paragraphs have none
            text = _WIRE_CODE.sub("\n", _AMPERSAND.sub("&", text))
        text = _asides_out(text, article.source, removed)
        lines = _drop_doubled(text.split("\n"), article.source, removed)
        kept_lines: list[str] = []
        byline = ""  # the byline just removed: the line under it may name its outlet alone
        for given, letters in lines:
            line = given.strip()
            if _INTERVIEW_MARKER.match(line) and not paragraph.is_heading:
                if marker:
                    removed.append(Removed(article.source, marker, "interview marker alone"))
                marker = line
                continue
            rule = rule_for(line) if _may_be_ruled(line) else None
            if rule is None and byline and (_byline_second_line(byline, line)
                                            or _byline_role_line(byline, line)):
                rule = "credit or byline"
            byline = line if rule == "credit or byline" else ""
            if (rule is None and letters in seen and not paragraph.is_heading
                    and _repeats(given, seen[letters])):
                rule = "repeated line"  # a pull quote or a caption repeating the body
            if rule is not None:
                removed.append(Removed(article.source, line, rule))
                continue
            seen.setdefault(letters, []).append(given)
            if marker and not paragraph.is_heading:
                line = f"{marker.rstrip('.:')}. {line}"
                marker = ""
            kept_lines.append(line)
        if kept_lines:
            text = "\n".join(kept_lines)
            if not paragraph.is_heading:  # a roundup's every item has its own dateline
                text = _header_out(text, article.source, removed)
            if text:
                paragraphs.append(Paragraph(text, paragraph.is_heading))
    if marker:
        removed.append(Removed(article.source, marker, "interview marker alone"))
    paragraphs = _answers_joined(paragraphs)
    # A subheading with nothing after it, or followed only by another heading, heads nothing.
    paragraphs = [p for i, p in enumerate(paragraphs)
                  if not p.is_heading or (i + 1 < len(paragraphs)
                                          and not paragraphs[i + 1].is_heading)]
    return replace(article, title=_title(article, removed), paragraphs=tuple(paragraphs)), removed


_CUT_NOTE_END = re.compile(r"^[^()]*\.\)\s*(?=\S)")


def _title(article: Article, removed: list[Removed]) -> str:
    """The title without the desk's notes and codes ("BEWARE THE BIRDS (FOR RELEASE SUNDAY)"),
    nor a dateline, which may be all a text file's first line held ("NEW YORK --")."""
    title = _TITLE_MARKUP.sub("", article.title)
    title = " ".join(_asides_out(_WIRE_CODE.sub(" ", _AMPERSAND.sub("&", title)),
                                 article.source, removed).split())
    title = _flags_out(title, article.source, removed)
    # The end of a note cut off before the title ("... 888-555-0100.) MUSLIMS AMONG ...").
    title = _CUT_NOTE_END.sub("", title, count=1)
    rest = lead_without_header(title)
    # In a title in capitals "ALL NORMAL WITH KENNEDY FLIGHT -- UNTIL A DESCENT" reads like a
    # dateline and is not one: only a lower-case word after it says the capitals were a place.
    if rest and not any(c.islower() for c in rest):
        return title
    return _header_out(title, article.source, removed)


def _answers_joined(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """An interview's question paragraph and the answer paragraph after it as one paragraph:
    the question alone is no news, the answer alone lacks what it answers."""
    joined: list[Paragraph] = []
    for paragraph in paragraphs:
        if (joined and not paragraph.is_heading and not joined[-1].is_heading
                and is_answer(paragraph.text) and is_question(joined[-1].text)):
            joined[-1] = Paragraph(f"{joined[-1].text} {paragraph.text}", False)
        else:
            joined.append(paragraph)
    return joined


def _flags_out(title: str, source: str, removed: list[Removed]) -> str:
    """The title without the wire's flags and notes to editors; a title in capitals keeps a
    first word that may be its own ("URGENT CARE CLINICS CLOSE")."""
    kept = _PART_NUMBER.sub("", _TITLE_EDS.sub("", title))
    flag = _TITLE_FLAG.match(kept)
    if flag and (flag.end() == len(kept) or any(c.islower() for c in kept[flag.end():])):
        kept = kept[flag.end():]
    kept = " ".join(kept.split())
    if kept != title:
        removed.append(Removed(source, title, "note to editors"))
    return kept


def _header_out(text: str, source: str, removed: list[Removed]) -> str:
    """``text`` without its wire header, the header recorded as a line removed (said under
    -v, as every line the cleaner takes out)."""
    prose = lead_without_header(text)
    if prose != text:
        removed.append(Removed(source, text[:len(text) - len(prose)].strip(), "wire header"))
    return prose


def lead_without_header(text: str) -> str:
    """``text`` without the wire header (code, dateline, date, slugs) it opens with, if any."""
    header = WIRE_HEADER.match(text)
    # A dateline comes before a sentence: "NATO -- the alliance said" opens with its subject.
    if not header or text[header.end():][:1].islower():
        return text
    return text[header.end():]


def _asides_out(text: str, source: str, removed: list[Removed]) -> str:
    """Desk notes in parentheses out of a line, the prose around them kept."""
    if "(" not in text:  # every note opens with one
        return text
    notes = [match.group(0) for match in _DESK_ASIDE.finditer(text)]
    if not notes:
        return text
    removed.extend(Removed(source, note, "note to editors") for note in notes)
    return "\n".join(" ".join(line.split()) for line in _DESK_ASIDE.sub(" ", text).split("\n"))


def _repeats(line: str, earlier: list[str]) -> bool:
    """Whether ``line`` repeats one of the ``earlier`` lines (whose letters are its own), by
    their match_form, and is long enough to count."""
    key = match_form(line)
    return len(key.split()) >= REPEAT_MIN_WORDS and any(match_form(e) == key for e in earlier)


def _drop_doubled(lines: list[str], source: str,
                  removed: list[Removed]) -> list[tuple[str, bytes]]:
    """A line printed twice in a row is a photo caption (or a paste error): both copies go.
    The lines kept come with the letters of their match_form (the same with the line
    stripped): lines whose letters differ have different forms."""
    letters = [match_letters(line) for line in lines]
    drop: set[int] = set()
    for i in range(1, len(lines)):
        if (letters[i] and letters[i] == letters[i - 1]
                and match_form(lines[i]) == match_form(lines[i - 1])):
            drop.update((i - 1, i))
    for i in sorted(drop):
        removed.append(Removed(source, lines[i], "caption printed twice"))
    return [(line, letters[i]) for i, line in enumerate(lines) if i not in drop and line.strip()]


# Credit lines name the outlet a text came from; they are read here, before the rules above
# remove them, for articles whose input named no outlet (a file's stem is all they have).
_SOURCE_LABEL = re.compile(r"^\(?Sources?\s*[:\-\u2013\u2014]\s*(?P<outlet>[^()]{1,60}?)\)?\.?$",
                           re.I)
_BYLINE_OUTLET = re.compile(r"^By\s+[A-Z][^|\u2013\u2014]{1,80}?\s*(?:\||\s[\u2013\u2014-])\s*"
                            r"(?P<outlet>[A-Z][\w&.'\u2019 -]{0,40}?)\s*$")
# A writer's role after the outlet: "Associated Press Writer", "AP Business Writer", "Metro Wire
# staff reporter". The desk before the role is a subject or a rank.
_DESK_OF_ROLE = (r"(?:staff|senior|chief|special|contributing|business|sports?|science|medical|"
                 r"legal|political|economics|diplomatic|technology|health|entertainment|arts?|"
                 r"religion|education|environment(?:al)?|energy|aerospace|military|food|travel|"
                 r"investigative|national|foreign|financial|labou?r|transportation|television|"
                 r"tv|film|music|white house|congressional|supreme court)")
_ROLE = rf"(?i:(?:{_DESK_OF_ROLE}\s+){{0,2}}(?:writer|correspondent|reporter|editor|columnist)s?)"
# A line that ends in a writer's role names the writer's job; an outlet, if any, stands before
# the desk ("AP Business Writer", "Harbour Gazette Crime Reporter"), and a desk is no outlet
# ("Crime Reporter", "Courts Correspondent").
_ROLE_END = re.compile(r"(?:^|\s+)(?i:(?:writer|correspondent|reporter|editor|columnist|"
                       r"contributor|critic|photographer|producer|analyst|stringer|"
                       r"bureau chief)s?)$")
# The last word of many outlets' names: what stands before a desk names one when it ends so.
_OUTLET_WORD = re.compile(r"\b(?:Press|News|Wire|Services?|Newspapers?|Times|Post|Herald|Gazette|"
                          r"Journal|Tribune|Chronicle|Courier|Telegraph|Guardian|Observer|Mail|"
                          r"Express|Star|Standard|Record|Register|Examiner|Inquirer|Bulletin|"
                          r"Review|Daily|Weekly|Radio|TV|Network|Media|Magazine|Agency|Monitor|"
                          r"Dispatch|Sentinel|Mirror|Globe|Independent|Citizen|Ledger|Sun)$")
_BYLINE_AGENCY = re.compile(rf"^By\s+[A-Z][^,]{{1,80}},\s*(?P<outlet>{_AGENCIES})(?:\s+{_ROLE})?"
                            r"\s*$")
# A byline's second line may name the outlet alone: "By JANE ROE" then "Harbour Gazette". A
# name in capitals there is a place ("HARBOURTON"), unless it is an agency's; a date or a time
# is when it was filed ("Updated Monday").
_OUTLET_LINE = re.compile(rf"^(?:(?:{_AGENCIES})|(?=.*[a-z])(?!.*\b(?:{_MONTHS}|Updated|Posted|"
                          r"Published|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b)"
                          r"[A-Z][\w&.'\u2019-]*(?:\s+(?:[A-Z][\w&.'\u2019-]*|of|the|and|&)){0,4})$")
# Writers' names in capitals (two or three words each, none a small word: "BY THE NUMBERS" is
# a headline), then the outlet in title case: "By ANA RUIZ and JO POE Harbour Gazette
# Newspapers", "By MARY SMITH Associated Press Writer".
_CAPS_NAME = r"(?:(?!(?:THE|OF|AN?|AND|FOR|IN|ON|TO|AT|BY)\b)[A-Z][A-Z.'\u2019-]+\s+){2,3}"
_CAPS_BYLINE = re.compile(rf"^[*\u2022\u00b7]?\s*(?:By|BY)\s+{_CAPS_NAME}"
                          rf"(?:(?:,|and|&)\s+{_CAPS_NAME})*"
                          r"(?P<outlet>[A-Z][a-z][\w&.'\u2019-]*(?:\s+[A-Z][\w&.'\u2019-]*){0,4})$")
_DATELINE_CREDIT = re.compile(rf"^(?:[A-Z][\w .,'\u00a0-]{{1,40}}\s*)?\((?P<outlet>{_AGENCIES})\)"
                              r"\s*(?:[-\u2013\u2014]+|_)\s+")
# A broadcaster's credit for its reporter's piece: "TRT World's Christine Pirovolakis reports.",
# "Al Jazeera's Alan Fisher reports from Caracas." The possessive may be glued to the name when
# markup between them was dropped ("TRT World'sChristine").
_CAP = r"[A-Z][\w&.'\u2019-]*"
_REPORTER_CREDIT = re.compile(
    rf"^(?P<outlet>{_CAP}(?:\s+{_CAP}){{0,3}}?)['\u2019]s\s*{_CAP}(?:\s+{_CAP}){{0,2}}\s+"
    r"(?:reports?|has more|has the story|has this report)(?:\s+from\s+[\w ,.'\u2019-]+)?\s*\.?$")
# A copyright line names its owner: "c.2000, San Francisco Chronicle", "(c) 2026 Metro Wire.
# All rights reserved.", "Copyright 2026, Harbour Herald". It opens with a sign, or with
# "Copyright" or "c." and a year: "Copyright Office lawyers disagreed." is a sentence. The
# owner is a name of capitalised words, so the line is short.
_YEAR = r"(?:19|20)\d\d\b(?:\s*[-\u2013]\s*(?:19|20)\d\d\b)?"
_COPYRIGHT_SIGN = r"(?:\u00a9|\([cC]\))"
_COPYRIGHT_CREDIT = re.compile(
    rf"^(?:(?:Copyright\s*)?{_COPYRIGHT_SIGN}\s*(?:Copyright\s*)?(?:{_YEAR})?|"
    rf"(?:Copyright\s+|c\.\s*){_YEAR}),?\s*"
    r"(?P<outlet>[A-Z][\w&'\u2019-]*(?:\s+(?:[A-Z][\w&'\u2019-]*|of|the|and|&)){0,6}?)"
    # The year may follow the owner ("(c) Reuters 2026"), and so may its company's form.
    rf"(?:,?\s+{_YEAR})?(?:,?\s+(?:Inc|Ltd|LLC|Limited|plc|GmbH|S\.A)\.?)?"
    r"[.,]?(?:\s*(?i:all rights reserved)\.?)?$")
# Names in the agency list that credit a picture, not the text.
_PICTURE_DESKS = {"pool", "file", "handout", "shutterstock", "alamy", "nurphoto", "getty",
                  "getty images", "sipa", "abaca"}
# What follows a byline's bar or dash may be the writer's role, not an outlet.
_ROLES = re.compile(r"\b(?:writer|correspondent|reporter|editor|staff|contributor|columnist|"
                    r"desk|bureau(?: chief)?)s?\b", re.I)
# A channel's number is part of its name ("News 9", "Channel 4 News"); a year, a figure or a
# name that opens with a number is data a chart's "Source:" line cites ("2025 census").
_NOT_A_NAME_NUMBER = re.compile(r"^\d|\b\d{4,}\b|\d[.,:%/]\d")
# A credit names an outlet in a few words; more is a sentence that happens to start "Source:".
CREDIT_MAX_WORDS = 5
# Bylines stand at the top: a "By ..." line further down is quoted text.
BYLINE_PARAGRAPHS = 3


def credited_outlet(article: Article) -> str | None:
    """The outlet a credit line names: "Source: AP", "By Jane Roe | Metro Wire", "By Jane
    Roe, Reuters", a dateline "LONDON (AP) --", a reporter's credit "TRT World's Jane Roe
    reports." or a copyright line "(c) 2026 Metro Wire"; the first of these kinds found, in
    that order. None when the article carries no
    such line."""
    # Notes to editors may come first ("EDITOR'S NOTE: ..."): the top is what follows them.
    paragraphs = list(article.paragraphs)
    while paragraphs and all(is_note_to_editors(line)
                             for line in paragraphs[0].text.split("\n") if line.strip()):
        paragraphs.pop(0)
    # A short credit line reads as a heading to the loaders ("Source: AP"): look at those too.
    lines = [(i, line.strip()) for i, p in enumerate(paragraphs)
             for line in p.text.split("\n") if line.strip()]
    prose = [p.text for p in paragraphs if not p.is_heading][:1]
    found: list[str | None] = [
        next((m.group("outlet") for _, line in lines if (m := _SOURCE_LABEL.match(line))), None),
        next((m.group("outlet") for i, line in lines if i < BYLINE_PARAGRAPHS
              and (m := _BYLINE_OUTLET.match(line) or _BYLINE_AGENCY.match(line)
                   or _CAPS_BYLINE.match(line))), None),
        next((outlet for k, (i, line) in enumerate(lines[:-1])
              if i < BYLINE_PARAGRAPHS and lines[k + 1][0] == i
              and (outlet := _byline_second_line(line, lines[k + 1][1]))), None),
        next((m.group("outlet") for text in prose if (m := _DATELINE_CREDIT.match(text))), None),
        next((m.group("outlet") for _, line in lines
              if len(line.split()) <= REPORT_CREDIT_MAX_WORDS
              and (m := _REPORTER_CREDIT.match(line))), None),
        next((m.group("outlet") for _, line in lines if (m := _COPYRIGHT_CREDIT.match(line))),
             None),
    ]
    for outlet in found:
        name = _outlet_before_role(" ".join((outlet or "").strip(" .,;:").split())) or ""
        name = re.split(r"\s*(?:[,;/]|\band\b)\s*", name)[0] if name else ""
        if (name and len(name.split()) <= CREDIT_MAX_WORDS and not _NOT_A_NAME_NUMBER.search(name)
                and name.casefold() not in _PICTURE_DESKS and not _ROLES.search(name)):
            # One name for an agency, whichever line named it: the copyright line's "The
            # Associated Press" is the dateline's "AP".
            return outlet_name(name)
    return None


def _byline_second_line(line: str, after: str) -> str | None:
    """The outlet the line under a byline, in its paragraph, names alone ("By JANE ROE" /
    "Harbour Gazette", "Associated Press Writer"), or None."""
    if not (_BYLINE.match(line) or _CAPS_BYLINE.match(line)):
        return None
    name = _outlet_before_role(after.strip())
    return name if name and (_OUTLET_LINE.match(name) or _is_agency(name)) else None


def _byline_role_line(line: str, after: str) -> bool:
    """Whether the line under a byline is the writer's role, naming no outlet ("Crime
    Reporter"): part of the byline all the same."""
    return (bool(_BYLINE.match(line) or _CAPS_BYLINE.match(line)) and after[:1].isupper()
            and len(after.split()) <= CREDIT_MAX_WORDS and _ROLE_END.search(after) is not None)


def _outlet_before_role(text: str) -> str | None:
    """``text`` when it names no writer's role; else the agency or the outlet named before
    the desk and the role ("AP Business Writer" is "AP"), or None ("Crime Reporter")."""
    role = _ROLE_END.search(text)
    if role is None:
        return text
    words = text[:role.start()].split()
    # The desk is the words between the outlet and the role, however many: "AP Business",
    # "Metro Wire staff", "Harbour Gazette Crime".
    for end in range(len(words), 0, -1):
        name = " ".join(words[:end])
        if _is_agency(name) or (end >= 2 and _OUTLET_WORD.search(name)):
            return name
    return None


def _is_agency(name: str) -> bool:
    """Whether ``name`` is a news agency's, short or spelled out ("Associated Press")."""
    return (re.fullmatch(_AGENCIES, name) is not None
            or outlet_name(name) != " ".join(name.split()))


def with_credited_outlet(article: Article) -> Article:
    """The article named by its credit line, when its input named no outlet."""
    if not article.named_by_file:
        return article
    outlet = credited_outlet(article)
    return article if outlet is None else replace(article, source_name=outlet,
                                                  named_by_file=False)


def _scoped(pattern: re.Pattern[str]) -> str:
    return f"(?i:{pattern.pattern})" if pattern.flags & re.I else f"(?:{pattern.pattern})"


# Every pattern the rules match at a line's start, in one: where none matches, and none of
# the rules' searches finds anything (_may_be_ruled), no rule takes the line.
_RULE_STARTS = re.compile("|".join(map(_scoped, (
    _LABELLED_CREDIT, _BYLINE, _NOTED_WRITER, _ROLE_LINE, _CAPS_BYLINE, _WRITES_FOR,
    _NOTED_REPORT, _BOILERPLATE, _DESK_NOTE, _DESK_VERB, _SEPARATOR, _TRIM, _SIGN_OFF,
    _SALES_NOTE, _QUESTIONS_CALL, _DATE_LINE, _WIRE_NAME_LINE, _FILED))))


def _may_be_ruled(line: str) -> bool:
    """False when no rule takes ``line`` (stripped), found with one match for the rules'
    start patterns and the rules' searches, each behind the literals it needs: most lines
    are prose, and the rules one at a time cost a few dozen calls a line."""
    return bool(_RULE_STARTS.match(line) or _credit_tagged(line) or _photo_caption(line)
                or (len(line.split(None, REPORT_CREDIT_MAX_WORDS)) <= REPORT_CREDIT_MAX_WORDS
                    and _REPORTS.search(line))
                or ("contributed" in line and _CONTRIBUTORS.match(line))
                or (("COPYRIGHT" in line or "reserved" in line) and _COPYRIGHT.search(line))
                or _pickup(line) or _budget_entry(line)
                or (_wire_words(line) and _CLIENT_WORDS.search(line))
                or ("News Service" in line and _BUDGET_HEAD.search(line)))
