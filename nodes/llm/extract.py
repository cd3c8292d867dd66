"""Argument extraction for the offline backend: entities a tool call needs, read from text."""

from __future__ import annotations

import re

from nodes.language import KOREAN_REQUEST_ENDING
from state.stores.customers import INTERNET_TIERS, MOBILE_PLANS

_MONEY = re.compile(
    r"\$\s?(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)|"
    r"(?<![\d,.])(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s?(?:달러|불(?![가-힣]))"
)
"""A dollar amount, "$1,200.50" or "50달러" / "50불"; an amount in won ("3만원", "30,000원") is
not one, so a refund named in won takes its amount from the invoice line instead."""
_LATIN_START = r"(?<![a-z0-9])"
_LATIN_END = r"(?![a-z0-9])"
"""Word edges for plan names: Korean particles attach to them ("Unlimited로"), and Hangul
counts as a word character, so `\\b` would not end the name there."""
_PLAN_MENTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), name)
    for pattern, name in (
        (rf"{_LATIN_START}(?:nimbus\s+)?lite{_LATIN_END}|라이트", MOBILE_PLANS[0]),
        (rf"{_LATIN_START}(?:nimbus\s+)?plus{_LATIN_END}|플러스", MOBILE_PLANS[1]),
        (rf"{_LATIN_START}(?:nimbus\s+)?unlimited{_LATIN_END}|무제한|언리미티드", MOBILE_PLANS[2]),
        (rf"{_LATIN_START}(?:fiber\s+)?300(?:\s?(?:mbps|메가))?{_LATIN_END}", INTERNET_TIERS[0]),
        (rf"{_LATIN_START}(?:fiber\s+)?(?:1|one)\s?(?:gig|gbps|gigabit|기가){_LATIN_END}",
         INTERNET_TIERS[1]),
        (rf"{_LATIN_START}(?:fiber\s+)?(?:2|two)\s?(?:gig|gbps|gigabit|기가){_LATIN_END}",
         INTERNET_TIERS[2]),
    )
)  # fmt: skip
_TARGET_MARKER = re.compile(r"\b(?:to|into|onto|for)\s+(?:the\s+)?$", re.I)
_LEFT_MARKER = re.compile(
    r"\b(?:instead\s+of|rather\s+than|than|from|not|other\s+than|in\s+place\s+of|off(?:\s+of)?|"
    r"swap|replace|drop|ditch|leave|out\s+of)\s+(?:of\s+)?(?:the\s+|my\s+|our\s+|current\s+)*$",
    re.I,
)
"""A plan named after these is the one left: "Unlimited instead of Plus", "from Plus to
Unlimited", "swap Plus for Unlimited", "Unlimited, not Plus"."""
_KOREAN_LEFT = re.compile(r"^\S*?\s*(?:요금제)?\s*(?:말고|대신|에서|은\s?말고|는\s?말고|빼고|말구)")
"""A plan followed by "말고" / "대신" / "에서" is the one left: "플러스 말고 언리미티드로",
"플러스에서 언리미티드로"."""
_KOREAN_TARGET = re.compile(r"^\S*\s*(?:요금제)?\s*(?:으로|로)(?!는)")
"""A plan followed by "(으)로": the one to change to; "라이트 요금제로는" ("on Lite, ...") is the
plan the customer is on, not a target."""
_INTERNET_WORDS = re.compile(
    r"\b(fiber|internet|wi-?fi|broadband|home\s+service)\b|인터넷|광랜|와이파이|기가", re.I
)
_ACCOUNT_WORDS = re.compile(
    r"\b(account|everything|all\s+(?:my\s+)?services|completely)\b|계정|전부|모두|탈퇴", re.I
)
_CANCEL_WORDS = re.compile(
    r"\b(?:cancel\w*|terminat\w*|disconnect\w*|discontinu\w*|shut\s+(?:it\s+|off|down)|"
    r"close\s+(?:my|the|our)\b|end\s+(?:my|the|our)\s+(?:service|contract|account|line|plan|"
    r"subscription)|quit(?:ting)?|leav\w+\s+nimbus|get\s+rid\s+of|stop\s+(?:my|the)\s+(?:service|"
    r"line|internet|plan)|don'?t\s+(?:want|need)\s+(?:my|the|this)\s+(?:service|line|internet|"
    r"plan|account)\s+anymore|no\s+longer\s+(?:want|need))\b|해지|해약|탈퇴|끊고\s*싶|끊어\s*주|cancelar|"
    r"annuler|r[ée]silier|k[üu]ndig",
    re.I,
)
_NOT_CANCELLING = re.compile(
    r"\b(?:without|not\s+(?:want\s+|need\s+)?to|never|rather\s+than|instead\s+of|avoid|don'?t\s+(?:want|need|have)\s+to|"
    r"(?:wo|do|does|did|would|should)n'?t\s+(?:\w+\s+)?(?:have\s+to\s+|need\s+to\s+)?)\s*"
    r"(?:\w+\s+)?$",
    re.I,
)
"""Words before a cancellation that say it is not wanted: "move it without cancelling",
"I don't want to cancel", "rather than terminating"."""
_KOREAN_NOT_CANCELLING = re.compile(
    r"^\s?(?:하지\s?(?:않|말|마)|안\s?하|없이|말고|은\s?안|는\s?안)"
)
"""Korean says it after the word: "해지하지 않고", "해지 안 하고", "해지 없이", "해지 말고"."""
_WHETHER = re.compile(
    r"\b(?:do|does|will|would|should|shall|must)\s+(?:i|we)\s+(?:\w+\s+)?(?:have|need|got)\s+to\b|"
    r"\b(?:will|would)\s+(?:i|we)\s+(?:\w+\s+)?need\b|\bshould\s+(?:i|we)\b|"
    r"\b(?:am|are)\s+(?:i|we)\s+(?:required|supposed|forced|obliged)\s+to\b|"
    r"\b(?:is|would)\s+it\s+(?:be\s+)?(?:necessary|required|mandatory)\b|"
    r"\bwhat\s+(?:happens|would\s+happen|will\s+happen|if)\b|\bhypothetical\w*|"
    r"\bjust\s+(?:asking|wondering|curious)\b|\b(?:i'?m|i\s+am|i\s+was)\s+(?:just\s+)?"
    r"(?:wondering|curious)\b|\bif\s+(?:i|we)\s+(?:were|was|did|ever|decide\w*)\b|"
    r"\bif\s+(?:i|we)\s+(?:\w+\s+)?(?:cancel|terminat|switch|chang|upgrad|downgrad|swap|replac)\w*|"
    r"해야\s?(?:하나|되나|돼요?\s?\?|되요?\s?\?|할까|합니까|하는지|되는지|하죠|되죠|함\s?\?|"
    r"하는\s?(?:건가|거|걸까)|만\s?(?:하나|되나|하는))|"
    r"(?:[가-힣]면|할\s?경우|할\s?때)\s?(?:어떻게|위약금|수수료|비용|요금이|돈|"
    r"불이익|손해|뭐가)|필요한가|필요하나|필요할까|필요해요\s?\?",
    re.I,
)
"""A question about whether an action is needed or what it would do: "do we have to cancel
and sign up again?", "will I need to cancel?", "what happens if I switch?", "해지해야 하나요?",
"해지하면 위약금 있나요?". Only a request proposes an action; a what-if gets the records."""
_ASKS_TO_ACT = re.compile(
    r"(?<!will\s)(?<!would\s)(?<!do\s)(?<!should\s)(?<!must\s)(?<!shall\s)"
    r"\b(?:i\s+(?:want|wanna|need)\s+(?:you\s+)?to|i'?d\s+like\s+(?:you\s+)?to|"
    r"i\s+would\s+like\s+(?:you\s+)?to|please\s+(?!tell|let|explain|advise|confirm)\w+|"
    r"go\s+ahead|i'?ve\s+decided|i\s+have\s+decided|let'?s\s+do)\b|"
    r"싶어|싶습니다|싶은데요?\s*$|주세요|해\s?줘|부탁|원합니다|바랍니다|진행해|"
    rf"{KOREAN_REQUEST_ENDING}",
    re.I,
)
"""A request said in so many words, which a what-if beside it does not undo ("I'd like to
cancel; do I need to return the router?")."""
_DUPLICATE_WORDS = re.compile(
    r"\b(?:twice|double[ds]?|duplicat\w*|two\s+times|charged\s+(?:me\s+)?again|same\s+"
    r"charge|billed\s+(?:me\s+)?again|two\s+identical)\b|두\s*번|중복|이중",
    re.I,
)
_SIM_OBJECTS = re.compile(
    r"(?<![a-z])(?:e-?sims?|sims?|iccid|cards?|phones?|iphones?|pixels?|galaxy|samsung|handsets?|"
    r"devices?|numbers?|lines?|watch|mobile|cell)(?![a-z])|유심|이심|e심|번호|폰|핸드폰|"
    r"휴대전화|기기|단말|회선|워치|갤럭시|아이폰|개통",
    re.I,
)
"""What a SIM swap moves: a SIM, a phone or the number on it ("move my number to my new
iPhone", "유심 교체"); "move my internet to the new house" names none of them."""
_KOREAN_ASKS = re.compile(
    r"싶|원해|원합니다|하려고|하려구|하려는데|하려면|해야겠|가능할까|가능한가|가능해|될까|되나|"
    r"되죠|[돼되]요\?|해요\?|까요|[할볼줄꿀갈쓸][래게]|래\?|요청|부탁|주세요|줘|주실|주시|"
    r"줄\s?수|주라|해라|바랍니다|할\s?수\s?있|(?:해지|변경|교체|환불|개통|취소|신청)\s?"
    rf"(?:합니다|하겠습니다|할게|할래|해요|이요|요)|{KOREAN_REQUEST_ENDING}"
)
"""A Korean request or wish: "바꿔 주세요", "해지하고 싶어요", "변경 가능할까요",
"라이트로 바꿀게요". A message with none of them only says what happened ("누가 요금제를 바꿔
놨어요", "해지했는데 요금이 나와요"), which is a report for a ticket, not a request to act on."""
_DISPUTE = re.compile(
    r"\bsomething(?:'s|s|\s+is)\s+(?:off|fishy|not\s+right)\b(?!\s+with)|"
    r"\b(?:doesn'?t|does\s+not|don'?t|do\s+not)\s+add\s+up\b|"
    r"\bwhat\s+(?:are|will)\s+you\s+(?:going\s+to\s+|gonna\s+)?do\s+about\s+"
    r"(?:it|this|that)\b|"
    r"\bwho(?:'s|\s+is)\s+going\s+to\s+(?:pay\s+for|fix|cover)\b|"
    r"\b(?:should|was\s+supposed\s+to|were\s+supposed\s+to)\s+(?:be|get|have\s+been)\b"
    r"[^.?!$]{0,40}\$\s?\d+(?:[.,]\d+){0,2}[^.?!$]{0,60}\bbut\b|"
    r"어떻게\s?(?:해\s?주실|하실|처리해\s?주실|책임)\s?(?:건|거|겁|꺼)|책임\s?(?:지|져|질)|"
    r"(?:해|하|뚫어|부숴|망가뜨려)\s?놓고\s?그냥|그냥\s?가\s?버렸|"
    r"(?:여야|이어야)\s?(?:하는데|되는데)|차이\s?가?\s?(?:너무\s?)?(?:나요|나네요|납니다|나는데)(?!\s?\?)",
    re.I,
)
"""A report of something that went wrong, said as a dispute: an amount that does not match
what it should be ("should be $10 a month, but my bills show $6"), a closer that asks
what we will do about it ("something's off", "어떻게 해주실 건가요", "책임지세요"), work done
and walked away from ("뚫어 놓고 그냥 가버렸어요"), what was promised against what came
("들은 속도랑 실제 속도가 차이 나요", not the can-I "요금제 차이 나요?"). Whatever entry its
topic resembles, no help-center text settles it: it needs a ticket. "Something is wrong with
my wifi, what should I try?" is not one (a troubleshooting question)."""
_ESIM_WORDS = re.compile(rf"{_LATIN_START}e-?sim{_LATIN_END}|이심|e심", re.I)
"""eSIM, also before a Korean particle ("eSIM으로") and in Hangul."""
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = re.compile(
    r"(?<!\d)(1[0-2]|0?[1-9])\s?월|\b(jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|"
    r"\b(may)(?=\s+(?:bill|invoice|statement|charge|payment))",
    re.I,
)
"""A month in Korean ("3월") or English; "may" only before bill or invoice, not "may I"."""
_INVOICE_ID = re.compile(r"\bINV-[0-9A-Z]+(?:-[0-9A-Z]+)*", re.I)


def money_amount(text: str) -> float | None:
    match = _MONEY.search(text)
    return float((match.group(1) or match.group(2)).replace(",", "")) if match else None


def invoice_month(text: str) -> int | None:
    """The month of the invoice the customer names: "3월 청구서", "the March bill"."""
    match = _MONTH.search(text)
    if match is None:
        return None
    if match.group(1):
        return int(match.group(1))
    return _MONTH_NAMES.index((match.group(2) or match.group(3)).lower()[:3]) + 1


def invoice_reference(text: str) -> str | None:
    """An invoice id the customer quotes ("INV-1001-250522"), upper-cased."""
    match = _INVOICE_ID.search(text)
    return match.group(0).upper() if match else None


def asks_to_cancel(text: str) -> bool:
    """The customer's own words ask to end a service: a cancellation is only ever proposed
    on them, never on a reading of a plan change or a question, nor on words that say it is
    not wanted ("can I move it without cancelling?", "해지하지 않고")."""
    return any(
        not _NOT_CANCELLING.search(text[max(0, m.start() - 40) : m.start()])
        and not _KOREAN_NOT_CANCELLING.search(text[m.end() : m.end() + 8])
        for m in _CANCEL_WORDS.finditer(text)
    )


def asks_whether(text: str) -> bool:
    """The customer asks whether an action is needed or what it would do, and asks for no
    action in so many words: a what-if never proposes a sensitive action."""
    return bool(_WHETHER.search(text)) and not _ASKS_TO_ACT.search(text)


def names_sim_or_phone(text: str) -> bool:
    """The customer names what a SIM swap would move: a SIM swap is only proposed on it."""
    return bool(_SIM_OBJECTS.search(text))


def asks_in_korean(text: str) -> bool:
    """A Korean message asks us for something, in any register (see `_KOREAN_ASKS`)."""
    return bool(_KOREAN_ASKS.search(text))


def reports_duplicate(text: str) -> bool:
    """The customer says a charge appears twice."""
    return bool(_DUPLICATE_WORDS.search(text))


def reports_dispute(text: str) -> bool:
    """The customer disputes something that happened (see `_DISPUTE`): a ticket, not an FAQ."""
    return bool(_DISPUTE.search(text))


def plan_target(text: str) -> str | None:
    """The plan or tier the customer wants: one named after 'to', else the last one named
    that is not the one left ("Unlimited instead of Plus", "플러스 말고 언리미티드로"); none
    when every plan named is one left ("move me off Plus")."""
    mentions: list[tuple[int, str]] = []
    for pattern, name in _PLAN_MENTIONS:
        mentions += [
            (m.start(), name)
            for m in pattern.finditer(text)
            if not _LEFT_MARKER.search(text[max(0, m.start() - 24) : m.start()])
            and not _KOREAN_LEFT.search(text[m.start() : m.start() + 16])
        ]
    if not mentions:
        return None
    mentions.sort()
    for start, name in mentions:
        if _TARGET_MARKER.search(text[max(0, start - 12) : start]):
            return name
    for start, name in reversed(mentions):
        if _KOREAN_TARGET.search(text[start : start + 16]):
            return name
    return mentions[-1][1]


def cancel_target(text: str) -> str:
    if _ACCOUNT_WORDS.search(text) and not _INTERNET_WORDS.search(text):
        return "account"
    if _INTERNET_WORDS.search(text):
        return "internet"
    return "mobile"


def sim_type(text: str) -> str:
    return "esim" if _ESIM_WORDS.search(text) else "physical"
