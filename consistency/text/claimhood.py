"""Which sentences are claims worth pairing.

A sentence is not a claim when it is a row of a list or table (scores, player ratings, league tables,
weather lists, squad numbers, dated timeline rows), a photo caption or credit (also a sentence that points at a
photo: "Holly Leonard (left), who ..."), a byline or dateline, a "Read more" / "Follow us" / "Click here" line,
a question, a source's silence ("X declined to comment"), or a fragment without a finite verb.
:func:`non_claim_reason` names the reason; :func:`consistency.text.segment.segment` lists such sentences as
skipped spans with it, never drops them. A sentence that repeats an earlier claim word for word
(:func:`statement_key`) is not a new claim either: it is skipped as a ``repeat``, and two such sentences of
different articles entail each other (:func:`consistency.scoring.make_finding`; the NLI model gives some sentences
contradiction against themselves: 83% for one of the sample's).

No offline part-of-speech tagger ships here, so the finite-verb test is a careful rule: an auxiliary or
modal (also in contractions: "it's", "won't"), a verb of a lexicon (common present and irregular past
forms), or a lower-case word that reads as a past tense (-ed) or a third-person present (-s). It errs on
the side of keeping: a plural noun passes for a verb, so only fragments with no verb-like word at all are
skipped (measured on 200 sentences of measurement-side FRANK articles: see the commit that added it).
"""

from __future__ import annotations

import re

from consistency.text.words import MONTH_PATTERN

__all__ = [
    "AUXILIARIES",
    "REASON_BOILERPLATE",
    "REASON_CAPTION",
    "REASON_LIST_ROW",
    "REASON_NO_COMMENT",
    "REASON_NO_VERB",
    "REASON_QUESTION",
    "REASON_REPEAT",
    "boilerplate_prefix_end",
    "contains_statement",
    "has_finite_verb",
    "non_claim_reason",
    "same_statement",
    "statement_key",
]

REASON_LIST_ROW = "list-row"
REASON_CAPTION = "caption"
REASON_BOILERPLATE = "boilerplate"
REASON_QUESTION = "question"
REASON_NO_VERB = "no-verb"
REASON_METADATA = "metadata"  # bylines and datelines, as segment's metadata lines
REASON_REPEAT = "repeat"  # the same words as an earlier claim of the article
REASON_NO_COMMENT = "no-comment"  # "X declined to comment": a source's silence, not a claim about the event

# A caption longer than this is kept: in flattened text ("Pictured: the site While tech firms ...") the
# caption has swallowed the next sentence, whose claim must not be lost.
CAPTION_WORDS = 25
# A sentence without a verb the rule knows is skipped only when it is this short or lacks a full stop:
# the verb lexicon cannot be complete ("Only nine per cent of Germans now consider ...").
FRAGMENT_WORDS = 8

# --- the finite-verb rule --------------------------------------------------------------------------

AUXILIARIES = frozenset(
    """am is are was were has have had do does did will would shall should can could may might must ought
    isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't won't wouldn't shan't shouldn't
    can't cannot couldn't mustn't mightn't needn't ain't isnt arent wasnt werent hasnt havent hadnt dont
    doesnt didnt wont wouldnt shouldnt cant couldnt""".split()
)
_CONTRACTED = re.compile(r"^(?:[a-z]+)?(?:['’](?:re|ve|ll|d|m)|n['’]t)$")
# "it's", "that's": 's after these words is "is"/"has", not a possessive.
_S_IS = frozenset(
    "it that there here he she what who where when how let everything nothing something everyone".split()
)
_VERBS = frozenset(
    """say says said tell tells told go goes went gone come comes came make makes made take takes took taken get
    gets got give gives gave given know knows knew known think thinks thought see sees saw seen find finds found
    want wants need needs feel feels felt seem seems become becomes became leave leaves left keep keeps kept hold
    holds held bring brings brought begin begins began begun run runs ran show shows showed shown hear hears heard
    play plays pay pays paid meet meets met include includes continue continues set sets lead leads led
    understand understood stand stands stood lose loses lost win wins won buy buys bought sell sells sold send
    sends sent build builds built spend spends spent fall falls fell fallen grow grows grew grown rise rises rose
    risen drive drives drove driven speak speaks spoke spoken write writes wrote written break breaks broke
    broken choose chose chosen eat eats ate fly flies flew fight fights fought catch catches caught teach
    teaches taught seek seeks sought mean means meant sit sits sat lie lies lay lay lays laid hit hits put puts
    cut cuts let lets shut shuts beat beats hurt hurts cost costs quit spread spreads read reads bet bets
    throw throws threw thrown wear wears wore worn draw draws drew drawn shoot shoots shot hang hangs hung
    flee flees fled feed feeds fed bleed bleeds bled light lights lit strike strikes struck swear swore sworn
    tear tore torn wake woke woken hide hid hidden ride rode ridden sing sang sung sink sank sunk shake shook
    shaken steal stole stolen swim swam forget forgot forgotten forgive forgave freeze froze frozen bite bit
    sleep sleeps slept dig dug stick stuck withdraw withdrew withdrawn bear bore born seize believe believes
    live lives love loves like likes look looks try tries use uses work works call calls ask asks move moves
    help helps turn turns start starts open opens walk walks offer offers appear appears wait waits serve serves
    die dies expect expects stay stays reach reaches kill kills remain remains suggest suggests raise raises
    pass passes require requires decide decides hope hopes face faces deny denies claim claims insist insists
    warn warns admit admits plan plans remember remembers agree agrees argue argues allow allows own owns
    belong belongs contain contains involve involves exist exists happen happens matter matters depend
    depends consider considers owe owes accept accepts add adds affect affects aim aims announce announces
    apply applies arrive arrives avoid avoids back backs ban bans blame blames call carry carries cause causes
    change changes charge charges check checks close closes compare compares complain complains concern
    concerns confirm confirms count counts cover covers create creates criticise criticize cross deal deals
    describe describes deserve deserves destroy destroys develop develops disagree disagrees drop drops earn
    earns emerge emerges encourage end ends enjoy enjoys ensure ensures enter enters estimate estimates explain
    explains fail fails fear fears fill fills finish finishes fit fits follow follows force forces form forms
    gain gains guess happen handle hate hates head heads host hosts identify imagine improve improves increase
    increases intend intends join joins jump jumps kick kicks kiss knock lack lacks last lasts laugh laughs
    launch learn learns lift limit link links list lists listen listens manage manages mark marks marry matter
    mention miss misses mind need note notes notice object occur occurs offer order orders oppose opposes
    pick picks place plays pose prefer prefers prepare prepares present press prevent prevents promise promises
    protect protects prove proves provide provides publish pull pulls push pushes qualify rank rate realise
    realize receive receives recall recalls recognise recognize record records reduce reduces refuse refuses
    reject rejects release relies rely remain reveal reveals replace report reports represent represents
    rest result return returns save saves score scores seek share shares sign signs smile sound sounds stand
    state states stop stops suffer suffers suit support supports suppose surround survive suspect suspects
    talk talks tend tends thank thanks train trains travel treat treats trust trusts understand visit visits
    vote votes wish wishes wonder worry worries
    rang swung sprang spun wept crept dealt dwelt knelt leapt slid sped spat strode stung stank swept trod wove
    wrung clung flung slung arose arisen awoke forbade foresaw foretold misled mistook overcame overheard overran
    overrode overtook overthrew overthrown shrank shrunk strove striven underwent undergone undertook undertaken
    undid upheld withheld withstood beheld befell bade dreamt lent shone""".split()  # irregular past forms (a
    # reader's "At 5 p.m. the bell rang." was skipped as no-verb); none of them is also a common noun
)
# Lower-case words ending in -ed or -s that are not verbs.
_NOT_ED = frozenset("hundred red bed shed seed speed greed breed creed sacred naked wicked kindred bled fled".split())
_NOT_S = frozenset("this his its is was has does yes us thus plus bus gas less unless across news series".split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A plural subject and the word after it, past a few adverbs: "Rumours circulate", "They also capture".
_NOT_AFTER_SUBJECT = frozenset(
    """of in on at to for from by with without within into onto upon over under above below across against
    among around behind between beyond despite during after before through toward towards near outside inside
    along amid per plus than versus via up down out off about like and or but nor so yet while when where
    whereas if because as since that which who whom whose what the a an this these those their his her its our
    your my all both each every some many much more most other such own same no not""".split()
)
_ADVERBS = frozenset("also still now then often never always even just only too very already usually".split())
_PLURAL_SUBJECT = re.compile(
    r"\b(?:[Tt]hey|[Ww]e|[Yy]ou|I|[A-Za-z]{2,}[^\W\dsu'’]s)\s+((?:[a-z]+\s+){0,2}?)([a-z]{2,})\b")


def _plural_subject_verb(sentence: str) -> bool:
    """A present-tense verb after a plural subject, which the lexicon may not know ("The Tetons capture them")."""
    for match in _PLURAL_SUBJECT.finditer(sentence):
        between, word = match.group(1).split(), match.group(2)
        if all(w in _ADVERBS for w in between) and word not in _NOT_AFTER_SUBJECT and not word.endswith("ly"):
            return True
    return False


def has_finite_verb(sentence: str) -> bool:
    """Whether the sentence has a word that reads as a finite verb (lenient: a plural noun may pass)."""
    words = _WORD.findall(sentence)
    for n, word in enumerate(words):
        lower = word.lower()
        if lower in AUXILIARIES or lower in _VERBS or _CONTRACTED.match(lower):
            return True
        if n > 0 and word[:1].isupper() and not word.isupper():
            continue  # a name: only the lexicon reads it as a verb (the first word is read lower-cased)
        stem, _, tail = lower.replace("’", "'").partition("'")
        if tail == "s" and stem in _S_IS:
            return True
        if tail:
            continue
        if len(lower) >= 4 and lower.endswith("ed") and lower not in _NOT_ED:
            return True
        if n > 0 and len(lower) >= 4 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")) \
                and lower not in _NOT_S:  # a first word in -s is a plural subject ("Goalkeepers: ...")
            return True
    return _plural_subject_verb(sentence)


# --- lines that are not claims ---------------------------------------------------------------------

# Imperatives of the page around an article; matched at the start of a short sentence.
_BOILERPLATE = re.compile(
    r"(?:read\s+more|follow\s+(?:us|\S+(?:\s+\S+)?\s+on\s+(?:twitter|facebook|instagram))|click\s+here|"
    r"share\s+(?:this|on)\b|scroll\s+down|sign\s+up|subscribe\s+to|watch\s+(?:the\s+)?video|"
    r"download\s+(?:the|our)\s+app|like\s+us\s+on|for\s+more\s+(?:information|details|news|stories)|"
    r"(?:related|see\s+also|more\s+on\s+this(?:\s+story)?|advertisement|comments)\s*(?::|$)|"
    # a page's cookie banner, copyright line and navigation (a fact-checker's pasted web copy)
    r"(?:we|this\s+(?:site|website)|our\s+(?:site|website))\s+uses?\s+cookies|by\s+(?:continuing\s+to\s+"
    r"(?:browse|use)|using\s+(?:this|our)\s+(?:site|website))|by\s+continuing,?\s+you\s+(?:agree|accept|consent)|"
    r"accept\s+(?:all|cookies)|manage\s+"
    r"(?:preferences|cookies|settings)|cookie\s+(?:policy|settings|preferences)|all\s+rights\s+reserved|"
    r"(?:©|\(c\)|copyright\b)|skip\s+to\s+(?:main\s+)?content|most\s+(?:read|popular|viewed)\s*$|"
    r"for\s+immediate\s+release|media\s+(?:contacts?|enquiries|inquiries)\s*:|press\s+contacts?\s*:|"
    r"(?:#{3}|-+\s*ends\s*-+|ends)\s*$)",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"[(\[]?\s*(?:pictured|picture|photo|photograph|image|video|credit|caption|source|graphic|illustration)s?"
    r"(?:\s+(?:copyright|caption|credit|courtesy))?\s*(?:[:|]|copyright\b|courtesy\b|by\s+[A-Z])|pictured\b",
    re.IGNORECASE,
)
# A sentence that describes a photo ("... in this shot captured in Ho Chi Minh City"): a caption, wherever the
# cue stands; in flattened text a series of them runs together, each about a different photo.
_PHOTO_DESCRIPTION = re.compile(r"\b(?:in|from) this (?:shot|photo|photograph|picture|image|snap|series of "
                                r"(?:images|photos|photographs|pictures|shots))\b", re.IGNORECASE)
# A sentence that points at a photo ("Holly Leonard (left), who was homeless ...", "The Swedish cops (pictured left
# to right) ..."): a caption. In flattened pages such captions run into each other and into the next body sentence
# without a full stop (55 to 81 words in the FRANK pairs it spared), so a caption run is skipped whole; "(pictured)"
# alone is body text ("Sarah (pictured) said ...") and stays.
_POSITION_MARKER = re.compile(
    r"\((?:(?:pictured|seen|shown|standing|sitting|far|second|third|top|bottom|centre|center|above|below|inset|"
    r"front|back|main)\s+)*(?:left|right|centre|center|top|bottom|above|below|inset|main)"
    r"(?:\s+(?:to|and)\s+(?:right|left))?\)|\((?:l|r)\s*-\s*(?:r|l)\)", re.IGNORECASE)
_CREDIT_TAIL = re.compile(r".{0,80}\b(?:getty(?:\s+images)?|reuters|ap|afp|pa|epa|shutterstock|rex)\b\W*$",
                          re.IGNORECASE)
_BYLINE = re.compile(r"(?:By|BY)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:\s*,\s*[A-Z][\w\s]{0,30})?\W*$")
# "Washington (CNN)", "LONDON, England (Reuters)": a dateline standing alone.
_DATELINE = re.compile(r"[A-Z][\w.'’-]*(?:[\s,]+[A-Z][\w.'’-]*){0,3}\s*\((?:CNN|AP|AFP|Reuters|BBC|PA|UPI)\)\W*$")
# A credit line at a story's end: "CNN's Greg Botelho and Sonya Hamasaki contributed to this report.", "Dana Ford
# reported from Atlanta.", "CNN's Elizabeth Joseph reported from Kathmandu, and CNN's Jethro Mullen wrote from Hong
# Kong.", "(Reporting by Jane Doe; Editing by John Roe)": who wrote the story, not what happened (10 in FRANK's 499
# articles; a fact-checker's walk saw two paired with each other as a "source disagreement").
_NAMES = r"(?:[A-Z][\w.'’-]*(?:'s|’s)?)(?:\s+(?:[A-Z][\w.'’-]*(?:'s|’s)?|and|de|van|von))*"
_PLACE = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
# "Reporting by Jane Doe in London", "Editing by John Roe": names only ("Reporting by The Washington Post found
# that ..." is a claim)
_CREDIT = rf"(?:Additional\s+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting)\s+by\s+{_NAMES}(?:\s+in\s+{_PLACE})?"
_CREDIT_LINE = re.compile(
    rf"(?:{_NAMES}(?:,\s*{_NAMES})*,?\s+contributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)"
    rf"|{_NAMES}\s+(?:reported|wrote|reports|writes)\s+from\s+{_PLACE}"
    rf"(?:,?\s+and\s+{_NAMES}\s+(?:reported|wrote|reports|writes)\s+from\s+{_PLACE})?"
    rf"|\(?{_CREDIT}(?:\s*[;,]\s*{_CREDIT})*\)?)[.)]*$")
_QUESTION = re.compile(r"\?[\"“”'‘’)\]\s]*$")
# Ratings: "Jones 7/10 - solid", "De Gea (6.5)", "Kane 8 - scored twice".
_RATING = re.compile(
    r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|di|le))*\s*(?:\(\s*\d{1,2}(?:\.5)?(?:/10)?\s*\)|"
    r"\d{1,2}(?:\.5)?/10\b|\d{1,2}(?:\.5)?\s*[-–—:]\s)"
)
# Scores and table rows: "Arsenal 3 Chelsea 1", "Man City 2-0 Spurs", "1. Liverpool 28 pts", "London: 12C, cloudy".
_SCORE = re.compile(r"[A-Z][\w.'’ &-]{0,30}?\s+\d{1,3}(?:\s*[-–]\s*\d{1,3})?\s*,?\s+"
                    r"[A-Z][\w.'’ &-]{0,30}?(?:\s+\d{1,3})?\W*$")
_RANKED = re.compile(r"\d{1,3}[.)]\s+[A-Z][\w .'’&-]{0,40}?\s+\d+\s*(?:pts|points)\W*$")
_WEATHER = re.compile(r"[A-Z][\w.'’ -]{0,30}:\s*-?\d{1,2}\s*°?\s*[CF]\b")
# A dated row of a timeline: "26 April - Hereford stay up on final day", "June 5: Police name the suspect",
# "Mar 2013 - Construction of Hinkley Point approved".
TIMELINE_ROW_START = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_PATTERN}(?:,?\s+\d{{4}})?|"
                      rf"{MONTH_PATTERN}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{4}}))\s*[-–—:]\s")
_TIMELINE_ROW = re.compile(TIMELINE_ROW_START)
_LEADING_NUMBER = re.compile(r"\d{1,3}[.)]?\s")
_NUMBER = re.compile(r"\d[\d,.]*")
_ENDS_SENTENCE = re.compile(r"[.!;][\"”’')\]]*$")
_QUOTED_QUESTION = re.compile(r"(?::\s*[\"“‘']+|\s[-–—]\s*[\"“‘']*)[^\"“‘':]*\?[\"”’'\s]*$")


def _list_row(sentence: str, verb: bool) -> bool:
    if _RATING.match(sentence) and (not verb or "/10" in sentence):
        return True
    if _WEATHER.match(sentence) or _RANKED.match(sentence) or _TIMELINE_ROW.match(sentence):
        return True
    if verb:
        return False
    if _SCORE.match(sentence) or _LEADING_NUMBER.match(sentence):
        return True
    words = len(_WORD.findall(sentence))
    numbers = len(_NUMBER.findall(sentence))
    return (numbers >= 2 and numbers >= (numbers + words) / 4) or (
        ":" in sentence and sentence.count(",") >= 2 and words <= 30)


def _question(sentence: str) -> bool:
    """Ends in a question mark, unless the question is a quote the sentence reports ("He asked: '...?'")."""
    if not _QUESTION.search(sentence):
        return False
    quoted = _QUOTED_QUESTION.search(sentence)
    return quoted is None or not has_finite_verb(sentence[: quoted.start()])


# Page furniture glued in front of a sentence, DailyMail style: "Scroll down for video Exercise can increase ...",
# "Share this withEmailFacebookTwitter...Copy this linkWomen who ...", "Media playback is not supported on this
# devicePakistan batted ...", BBC's "18 March 2014 Last updated at 09:22 GMTRichard ...". 115 of FRANK's 499
# articles have the share line, 31 the media line, 1 the time stamp.
FURNITURE_PATTERN = (
    # a transcript's stage directions: "[crosstalk] Sorry, go on.", "[END OF TRANSCRIPT]"
    r"(?:(?i:\[(?:crosstalk|cross\s+talk|inaudible|unintelligible|laughter|laughs|applause|pause|silence|music|"
    r"overlapping(?:\s+voices)?|end\s+of\s+(?:transcript|recording|interview)|break)\])|"
    r"Scroll\s+down\s+for\s+(?:videos?|more)|Media\s+playback\s+is\s+(?:not\s+supported|unsupported)\s+on\s+"
    r"(?:this|your)\s+device|Share\s+this\s+with(?:Email|Facebook|Messenger|Twitter|Pinterest|"
    r"WhatsApp|Linked[Ii]n|Copy\s+this\s+link)+|"
    rf"(?:\d{{1,2}}\s+{MONTH_PATTERN}\s+\d{{4}}\s+)?Last\s+updated\s+at\s+\d{{1,2}}:\d{{2}}(?:\s*(?:GMT|BST|UTC|ET))?)"
)
_BOILERPLATE_PREFIX = re.compile(FURNITURE_PATTERN + r"\s*(?=[\"“‘']?[A-Z]|$)")
# A press release's contact block, however long ("Media contact:\nSarah Quinn, Head of Communications\n+44 ...": a
# fact-checker's walk had it as a claim).
_CONTACT_BLOCK = re.compile(r"(?:media|press|investor)\s+(?:contacts?|enquiries|inquiries|relations)\s*:",
                            re.IGNORECASE)
_FURNITURE_LINE = re.compile(FURNITURE_PATTERN + r"\W*$")


# "X declined to comment", "has not commented on his whereabouts", "did not respond to a request for comment",
# "could not be reached": a source's silence says nothing about the event, and paired with what another source
# said it reads as a conflict (the model gave "he is in St Petersburg" / "Prigozhin has not commented on his
# whereabouts" 57%), the omission-as-contradiction false alarm. Only where the sentence says nothing else.
_NO_COMMENT = re.compile(
    r"\b(?:(?:declined|refused)\s+(?:to\s+)?(?:immediately\s+)?comment|"
    r"(?:has|have|had|did|does|do)\s*(?:not|n['’]t)\s+(?:yet\s+|immediately\s+|publicly\s+)*"
    r"(?:commented|comment|respond(?:ed)?\s+to\s+(?:a\s+|the\s+|repeated\s+|multiple\s+)?(?:requests?|calls?|"
    r"messages?|emails?|inquiries|enquiries)(?:\s+for\s+comment)?|returned?\s+(?:calls|messages|emails|"
    r"requests?)|spoken\s+(?:publicly\s+)?(?:about|on))|"
    r"could\s*(?:not|n['’]t)\s+(?:immediately\s+)?be\s+reached|"
    r"(?:was|were|is|are)\s+(?:not\s+(?:immediately\s+)?available|unavailable)\s+for\s+comment)\b",
    re.IGNORECASE,
)
# A sentence that says more than the silence ("declined to comment, saying he had not talked with his client").
_MORE_THAN_SILENCE = re.compile(
    r"[;:]|\b(?:saying|but|while|although|though|said|says|told|after|because|which|who|whose|where)\b",
    re.IGNORECASE)
NO_COMMENT_WORDS = 20


def _no_comment(sentence: str, words: int) -> bool:
    return (words <= NO_COMMENT_WORDS and _NO_COMMENT.search(sentence) is not None
            and _MORE_THAN_SILENCE.search(sentence) is None)


def boilerplate_prefix_end(sentence: str) -> int:
    """Where page furniture glued in front of ``sentence`` ends ("Scroll down for video " in "Scroll down for
    video A judge has ruled ..."), or 0 when the sentence starts with its own words."""
    match = _BOILERPLATE_PREFIX.match(sentence)
    return match.end() if match and match.end() < len(sentence) else 0


_STATEMENT_WORD = re.compile(r"\w+")


def statement_key(sentence: str) -> str:
    """What a sentence states, for telling repeats apart: its words, case-folded, without punctuation or quote
    marks ("“The talks failed.”" and "The talks failed" have one key)."""
    return " ".join(_STATEMENT_WORD.findall(sentence.casefold()))


def same_statement(a: str, b: str) -> bool:
    """Whether two sentences say the same words (:func:`statement_key`): such a pair is never a contradiction."""
    return statement_key(a) == statement_key(b)


# A statement repeated inside a longer one is asserted there too, unless the words just before it deny, doubt or
# report it ("denied that ...", "it is not true that ...", "whether ...").
CONTAINED_STATEMENT_WORDS = 6
_NOT_ASSERTED_BEFORE = frozenset(
    "not no never that whether if deny denies denied denying false untrue rumour rumor rumours rumors claim claims "
    "claimed alleged reports reported".split())


# A caption's label ("Viral sensation: Blizerian is ..."): up to four words and a colon.
_CAPTION_LABEL = re.compile(r"^\s*[\w'’-]+(?:\s+[\w'’-]+){0,3}\s*:\s+")


def contains_statement(longer: str, shorter: str) -> bool:
    """Whether ``longer`` repeats all of ``shorter``'s words in order and asserts them: a caption glued to the
    body sentence it repeats ("Go fetch: This dog certainly is ... He apparently got stuck waist-deep in mud ...")
    against that sentence, or a caption that repeats the start of a body sentence after its label ("Viral
    sensation: Blizerian is a renowned ..."). Such a pair is never a contradiction. ``shorter`` needs at least
    :data:`CONTAINED_STATEMENT_WORDS` words (its label not counted); the word before the repeat must not deny or
    report it."""
    inner, outer = statement_key(_CAPTION_LABEL.sub("", shorter, count=1)).split(), statement_key(longer).split()
    if len(inner) < CONTAINED_STATEMENT_WORDS or len(outer) <= len(inner):
        return False
    for start in range(len(outer) - len(inner) + 1):
        if outer[start:start + len(inner)] == inner:
            return start == 0 or outer[start - 1] not in _NOT_ASSERTED_BEFORE
    return False


def non_claim_reason(sentence: str) -> str | None:
    """Why ``sentence`` (stripped, with letters) is not a claim to pair, or None when it is one.

    Reasons: ``boilerplate`` (Read more, Follow us, Click here, Share this article), ``caption`` (photo
    captions and credits), ``metadata`` (bylines, datelines, a story's credit line), ``list-row`` (scores,
    ratings, tables, weather and squad lists), ``question``, ``no-comment`` (a source's silence: "X declined to
    comment"),
    ``no-verb`` (a fragment without a finite verb).
    """
    verb = has_finite_verb(sentence)
    words = len(_WORD.findall(sentence))
    if (words <= 12 and _BOILERPLATE.match(sentence)) or _FURNITURE_LINE.match(sentence) \
            or _CONTACT_BLOCK.match(sentence):
        return REASON_BOILERPLATE
    if (_CAPTION.match(sentence) and words <= CAPTION_WORDS) or (not verb and _CREDIT_TAIL.match(sentence)
                                                                and words <= 8) or _PHOTO_DESCRIPTION.search(sentence) \
            or _POSITION_MARKER.search(sentence):
        return REASON_CAPTION
    if _BYLINE.match(sentence) or _DATELINE.match(sentence) or _CREDIT_LINE.match(sentence):
        return REASON_METADATA
    if _list_row(sentence, verb):
        return REASON_LIST_ROW
    if _question(sentence):
        return REASON_QUESTION
    if _no_comment(sentence, words):
        return REASON_NO_COMMENT
    if not verb and (words <= FRAGMENT_WORDS or not _ENDS_SENTENCE.search(sentence)):
        return REASON_NO_VERB
    return None
