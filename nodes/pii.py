"""PII masking applied before any model or checkpoint sees a customer's message.

Card numbers, national-ID numbers (Korean resident registration numbers included) and Korean
street addresses are always masked. E-mail addresses and phone numbers are
masked unless they are the writer's own: triage looks an anonymous customer up by the contact
details they give, and nobody else's contact details should reach a model or a checkpoint.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from state.stores.customers import CustomerDirectory

# What people put between a card's digits: spaces of any kind, dashes, dots, slashes, and the
# invisible characters that copy-paste leaves (zero-width space / joiners, word joiner, BOM).
_CARD_GAP = "[ \t.\\-/\u00a0\u1680\u2000-\u200d\u2010-\u2015\u202f\u205f\u2060\u3000\ufeff]"
_CARD = re.compile(rf"(?<!\d)(?:\d{_CARD_GAP}{{0,3}}){{12,18}}\d(?!\d)")
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])"
)
_NATIONAL_ID = re.compile(
    r"(?<![\w-])(?:\d{3}(?P<ssn_gap>[-. \u00a0])\d{2}(?P=ssn_gap)\d{4}"  # US SSN (- . or space)
    r"|\d{6}\s?[-\u2010-\u2015]\s?[1-8]\d{6}"  # Korean resident registration number
    r"|\d{3}\.\d{3}\.\d{3}-\d{2}"  # Brazilian CPF
    r"|[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]"  # UK National Insurance number
    r"|[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]"  # Italian codice fiscale
    r")(?![0-9A-Za-z_-])"
)
# Any number right after a word that names an identity document.
_LABELLED_ID = re.compile(
    r"(?P<label>\b(?:ssn|social security(?: number| no\.?)?|national (?:id|insurance)(?: number)?"
    r"|id (?:card )?number|passport(?: number| no\.?)?|driver'?s licen[cs]e(?: number)?"
    r"|social insurance(?: number)?|tax id|dni|nif|cpf|personalausweis(?:nummer)?|steuer-?id"
    r"|codice fiscale|주민(?:등록)?번호|여권번호)\b\s*(?:is|was|:|#|no\.?|number)?\s*)"
    r"(?P<number>[A-Z]{0,2}[\d][\d -]{4,14}[\dA-Z])(?![\w-])",
    re.IGNORECASE,
)
# A Korean street or lot address: province or city, district, then a road (로/길) and building
# number or a neighbourhood (동/읍/면/리) and lot number, with an optional apartment unit.
KOREAN_ADDRESS = re.compile(
    r"(?:[가-힣]{2,}(?:특별시|광역시|특별자치시|특별자치도|시|도)\s*)?"
    r"[가-힣]{1,}(?:시|군|구)\s+(?:[가-힣]{1,}(?:구|시|군)\s+)?"
    r"(?:[가-힣0-9]{1,}(?:로|길)\s*\d+(?:-\d+)?(?:번길\s*\d+(?:-\d+)?)?"
    r"|[가-힣0-9]{1,}(?:동|읍|면|리|가)\s*\d+(?:-\d+)?(?:번지)?)"
    r"(?:\s*,?\s*(?:[가-힣A-Za-z]+\s*)?\d+동\s*\d+호|\s*\d+호)?"
)
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(
    r"(?<![\w+.-])(?:"
    r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}"  # North American
    r"|\+(?=(?:[\s.()-]?\d){8})\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}"  # with a country code
    r"|0\d{1,2}[\s.-]?\d{3,4}[\s.-]?\d{4}"  # national trunk prefix (010-1234-5678)
    r")(?![0-9A-Za-z_-]|\.\d)"  # a Korean particle may follow: "010-1234-5678로"
)
# What a writer says right before their own contact details.
_SELF_STATED = re.compile(
    r"(?:\b(?:my|our)\s+(?:(?:new|current|old|mobile|cell|home|work|contact|account|registered"
    r"|phone|e-?mail|call-?back|best|personal|primary|main|business|office|login)\s+){0,2}"
    r"(?:number|phone|e-?mail|email address|mail|contact|line|mobile|cell)(?:\s+address)?"
    r"|\b(?:reach|call|text|e-?mail|contact|ring|message)"
    r"\s+me(?:\s+back)?(?:\s+(?:at|on|via))?|\bregistered (?:under|with)|\bsend (?:it|them|the"
    r" \w+) to me at|\bi'?m \w+(?: \w+)?,?\s*(?:phone|tel|mobile|cell|e-?mail|number)"
    r"|\bthis is \w+(?: \w+)?,?\s*(?:phone|tel|mobile|cell|e-?mail|number)"
    r"|\b(?:mi|mon|ma|meine?|minha|meu|il mio)\s+(?:\w+\s+)?(?:n[uú]mero|t[ée]l[ée]phone"
    r"|tel[eé]fono|correo|e-?mail|nummer|telefon|celular|cellulare)"
    r"|제\s*(?:\S+\s*)?(?:이메일|메일|전화번호|번호|연락처|휴대폰))"
    r"\s*(?:is|was|es|est|ist|é|è|은|는|:|=|-)?\s*[,:]?\s*$",
    re.IGNORECASE,
)
_CUE_WINDOW = 60


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    """The widest Luhn-valid run of whole digit groups, so a card followed or preceded by
    other digits ("4111 1111 1111 1111 12/27") is still found inside the greedy match."""
    run = match.group(0)
    groups = [g.span() for g in re.finditer(r"\d+", run)]
    for width in range(len(groups), 0, -1):
        for first in range(len(groups) - width + 1):
            start, end = groups[first][0], groups[first + width - 1][1]
            digits = re.sub(r"\D", "", run[start:end])
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                return f"{run[:start]}[card ending {digits[-4:]}]{run[end:]}"
    return run


def iban_valid(candidate: str) -> bool:
    """The ISO 13616 check: the rearranged IBAN, letters as numbers, is 1 modulo 97."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _mask_iban(match: re.Match[str]) -> str:
    return "[bank account]" if iban_valid(match.group(0)) else match.group(0)


def contact_key(contact: str) -> str:
    """E-mails compare case-insensitively, phones by their last ten digits."""
    if "@" in contact:
        return contact.strip().lower()
    return re.sub(r"\D", "", contact)[-10:]


def contacts_of(customers: CustomerDirectory, customer_id: str | None) -> frozenset[str] | None:
    """The signed-in customer's own e-mail and phone, or None in an anonymous chat."""
    customer = customers.get(customer_id)
    return None if customer is None else frozenset({customer.email, customer.phone})


def self_stated(text: str, start: int) -> bool:
    """Whether the contact detail at `start` is introduced as the writer's own."""
    return _SELF_STATED.search(text[max(0, start - _CUE_WINDOW) : start]) is not None


def mask_customer_input(text: str, customers: CustomerDirectory, customer_id: str | None) -> str:
    """The one way customer text is masked before it is stored or shown to a model: the
    signed-in customer's own contacts stay, everyone else's are masked (see `mask_pii`)."""
    return mask_pii(text, contacts_of(customers, customer_id))


def mask_pii(text: str, own_contacts: Collection[str] | None = None) -> str:
    """Cards (Luhn-checked) and national-ID numbers always become placeholders; e-mails and
    phone numbers too, except the writer's own.

    `own_contacts` is the signed-in customer's e-mail and phone (see `contacts_of`): only those
    stay. None means the writer is unknown (anonymous chat): contact details they introduce as
    their own ("my e-mail is ...", "call me on ...") stay, so triage can look them up.
    """
    text = _CARD.sub(_mask_card, text)
    text = _IBAN.sub(_mask_iban, text)
    text = _NATIONAL_ID.sub("[id number]", text)
    text = _LABELLED_ID.sub(lambda m: f"{m.group('label')}[id number]", text)
    text = KOREAN_ADDRESS.sub("[address]", text)
    own = None if own_contacts is None else {contact_key(c) for c in own_contacts}

    def keep(match: re.Match[str]) -> bool:
        if own is not None:
            return contact_key(match.group(0)) in own
        return self_stated(match.string, match.start())

    text = EMAIL.sub(lambda m: m.group(0) if keep(m) else "[e-mail address]", text)
    return PHONE.sub(lambda m: m.group(0) if keep(m) else "[phone number]", text)
