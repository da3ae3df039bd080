"""Which sentences are claims (``consistency.text.claimhood``), on real news sentences.

The kept and skipped sentences below are quoted from measurement-side FRANK articles (CNN/DailyMail,
BBC); the list rows and captions follow the shapes those sites print.
"""

from __future__ import annotations

import pytest

from consistency.text.claimhood import contains_statement, has_finite_verb, non_claim_reason
from consistency.text.segment import segment

# Real claims, several short or verb-light, that must stay claims.
REAL_CLAIMS = [
    "In theory it is.",
    "But that was then.",
    "And Turkey denies this history.",
    "Manny is a big photography buff.",
    "But badgers are pretty headstrong.",
    "This marks the sixth arrest in the crime.",
    "The suspect was shot several times.",
    "She changed her name in 2012.",
    "She will be sentenced on 4 March.",
    "'We're in Colorado.",
    "A child, playing,' he said.",
    "Life doesn't get much better.",
    "An avid interest in poker, as it turns out.",
    "Not because the postmen can't be trusted; they can.",
    "Liverpool sold (Luis) Suarez in the summer.",
    "And houses close to a Lidl cost 2 per cent (£4,719) less.",
    "Only nine per cent of Germans now consider the end of the conflict a defeat.",
    "They still owe over £70,000 to clear the latest PAYE tax demand from HM Revenue and Customs (HMRC).",
    "Never cold water because he feels it is not healthy 3.",
    "Manny loves his Butterfinger Peanut Butter Cups.",
    "The Prince, who used a Pitch@Palace event last year to send the first royal selfie, joked: "
    "‘’What was it somebody said about children and dogs?’",
    "Afterwards, I rather regretted saying that  - who knew whether the iPhone would really prove as "
    "revolutionary as the arrival of mass car ownership?",
    "Pictured: The Silicon Valley shantytown While tech companies are keen to promote their image as "
    "compassionate businesses, tensions have boiled up over accusations they are not doing enough to help "
    "those left behind.",
    "The Tetons capture them.",
    "Under the deal, Prigozhin was promised security and the Russian criminal case against Wagner was dropped.",
]


@pytest.mark.parametrize("sentence", REAL_CLAIMS)
def test_real_claims_are_kept(sentence: str) -> None:
    assert non_claim_reason(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        # real, from FRANK measurement articles
        ('What exactly is "service of process"?', "question"),
        ("Sounds simple, right?", "question"),
        ("How out of touch can they get?", "question"),
        ("“If not, why not?”", "question"),
        ("Washington (CNN)", "metadata"),
        ("Pictured:Operation Overlord in June 1944", "caption"),
        ("Follow Matt on Twitter and on Facebook", "boilerplate"),
        ("Read more from Karishma: Why a story about bulk shipping matters", "boilerplate"),
        # the shapes of list rows, captions, credits, bylines and page furniture
        ("Arsenal 3 Chelsea 1", "list-row"),
        ("Man City 2-0 Spurs", "list-row"),
        ("Jones 7/10 - solid", "list-row"),
        ("Kane 8/10 - scored twice, looked sharp", "list-row"),
        ("1. Liverpool 28 pts", "list-row"),
        ("London: 12C, cloudy", "list-row"),
        ("Goalkeepers: De Gea, Romero, Valdes", "list-row"),
        ("1 David de Gea, 2 Rafael, 4 Phil Jones", "list-row"),
        ("(Photo: Getty Images)", "caption"),
        ("Image copyright Getty Images", "caption"),
        ("Pictured: the scene in Moscow on Monday", "caption"),
        # photo descriptions of a photo series, real (FRANK, measurement side)
        ("A mother fits a high chair is onto the front of a scooter for her toddler in this shot captured in Ho "
         "Chi Minh City, Vietnam.", "caption"),
        ("Despite covering the 37-year-old, his finger is clearly in contact in this picture!", "caption"),
        # a sentence that points at a photo, and a run of such captions glued to the next sentence (FRANK)
        ("Holly Leonard (left), who was homeless and had spent time in prison, now has a house.", "caption"),
        ("The Swedish cops (pictured left to right) Erik Naslund, 26, and Samuel Kvarzell, 25, said they were just "
         "answering the call of duty Mr Asberg subdued an enraged homeless man.", "caption"),
        ("Marouane Fellaini celebrates his goal with Vincent Kompany and Axel Witsel (L-R)", "caption"),
        ("By Daily Mail Reporter", "metadata"),
        # a story's credit lines (FRANK; a fact-checker's walk saw two paired as a "source disagreement")
        ("CNN's Greg Botelho and Sonya Hamasaki contributed to this report.", "metadata"),
        ("CNN's Eliott C. McLaughlin, Suzanne Presto and Amanda Barnett contributed to this report.", "metadata"),
        ("CNN's Elizabeth Joseph reported from Kathmandu, and CNN's Jethro Mullen wrote from Hong Kong.", "metadata"),
        ("Dana Ford reported from Atlanta.", "metadata"),
        ("(Reporting by Jane Doe; Editing by John Roe)", "metadata"),
        ("Click here to see the gallery", "boilerplate"),
        ("Share this article", "boilerplate"),
        ("By continuing you agree to our Cookie Policy.", "boilerplate"),  # a saved page's banner (a walk)
        ("Media contact:\nSarah Quinn, Head of Communications\nNorthbridge Logistics plc\n+44 (0)131 555 0199\n"
         "press@northbridge-logistics.example", "boilerplate"),  # a press release's contact block, however long
        ("Scroll down for video", "boilerplate"),
        ("Follow us on Twitter", "boilerplate"),
        ("Media playback is not supported on this device", "boilerplate"),
        # dated rows of a timeline (FRANK, measurement side: the Hereford United article, read as a user)
        ("3 June - Tommy Agombar takes over as new Hereford owner", "list-row"),
        ("June 5: Police name the suspect", "list-row"),
        ("The Boat Race 1954", "no-verb"),
        ("Music.", "no-verb"),
        # a source's silence (the seeds' compare and FRANK, measurement side)
        ("Prigozhin has not commented on his whereabouts.", "no-comment"),
        ("Barrientos did not immediately respond to a request for comment from Daily Mail Online.", "no-comment"),
        ("Oldknow Academy declined to comment on the letter from Lord Nash.", "no-comment"),
        ("The Kremlin could not be reached for comment.", "no-comment"),
        ("Police were not immediately available for comment.", "no-comment"),
        ("He didn't respond to messages.", "no-comment"),
    ],
)
def test_non_claims_get_their_reason(sentence: str, reason: str) -> None:
    assert non_claim_reason(sentence) == reason


@pytest.mark.parametrize(
    "sentence",
    ["Smith (35) was arrested.", "By Monday, the council had approved it.", "Related charges were filed.",
     "Comments from the minister were harsh.", "Sources said the talks failed.",
     "One example is in the photograph at the top of this article.", "He took the picture in Kiev.",
     "On 3 June the club was sold.", "Sarah (pictured) said she was relieved.", "He was (rightly) cleared.",
     "Media playback is not supported on older phones, the firm said.",
     # a silence that says more: a claim rides along
     "Alshammari's attorney Ron Yengich declined to comment on Tuesday, saying he had not talked with his client.",
     "McGowan also declined to comment but O'Donnell said afterwards that he was relieved.",
     "The company has not commented on the deal, which was signed in March.",
     "The council has not responded to the flooding, residents say.",
     # reported from somewhere, with what was reported
     "The Guardian reported from Kyiv that the city was shelled.", "Smith wrote from prison that he was innocent.",
     "The ministry reported from its own data that 12 people died.",
     "By continuing the strike, the workers lost a week's pay.",
     # a credit line's opening words, then news (a QA walk)
     "Reporting by The Washington Post found that the agency hid 3 deaths, including two children.",
     "Editing by the ministry removed 40 pages from the final report, the inquiry found.",
     "Writing by hand, the prisoner described 40 days of torture."],
)
def test_lookalikes_of_furniture_stay_claims(sentence: str) -> None:
    assert non_claim_reason(sentence) is None


@pytest.mark.parametrize(
    ("longer", "shorter", "contained"),
    [
        ("Go fetch: This dog is a hero. He got stuck waist-deep in mud while recovering his gear.",
         "He got stuck waist-deep in mud while recovering his gear.", True),
        # a caption repeats the start of the body sentence after its label
        ("Blizerian is a renowned professional poker player who has amassed 8million followers on Instagram.",
         "Viral sensation: Blizerian is a renowned professional poker player", True),
        ("He denied that he got stuck waist-deep in mud while recovering his gear.",
         "He got stuck waist-deep in mud while recovering his gear.", False),
        ("It is not true that the council approved the plan last week.", "The council approved the plan last week.",
         False),
        ("The talks failed on Monday.", "The talks failed.", False),  # too short to tell a repeat from a clash
        ("The council rejected the plan last week.", "The council approved the plan last week.", False),
    ],
)
def test_contains_statement(longer: str, shorter: str, contained: bool) -> None:
    assert contains_statement(longer, shorter) is contained


def test_finite_verb_rule() -> None:
    assert has_finite_verb("It's over")
    assert has_finite_verb("Obama Says He Will Run")  # headline case: the lexicon still reads it
    assert has_finite_verb("Rumours circulate about his conduct")  # a plural subject before an unknown verb
    assert not has_finite_verb("Beck's three children")
    assert not has_finite_verb("Arsenal 3 Chelsea 1")
    # irregular past forms: "At 5 p.m. the bell rang." was skipped as no-verb
    assert has_finite_verb("At 5 p.m. the bell rang") and has_finite_verb("The ferry sped away and the crowd wept")


def test_segment_lists_non_claims_as_skipped_with_their_reason() -> None:
    text = ("Pictured: the scene in Moscow\n\nArsenal 3 Chelsea 1\n\nThe club confirmed the result on Sunday. "
            "Who saw that coming? Read more: the season so far")
    result = segment(text)
    assert [c.text for c in result.claims] == ["The club confirmed the result on Sunday."]
    assert [(s.reason, s.text) for s in result.skipped] == [
        ("caption", "Pictured: the scene in Moscow"),
        ("list-row", "Arsenal 3 Chelsea 1"),
        ("question", "Who saw that coming?"),
        ("boilerplate", "Read more: the season so far"),
    ]
    for span in result.skipped:
        assert text[span.start : span.end] == span.text
