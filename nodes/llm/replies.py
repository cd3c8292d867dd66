"""What the offline specialist says once its tools have answered, and the questions it asks
back instead of guessing.

A hosted model reads tool results as text and reasons over them; the offline model does the
same here, deterministically: it reads the invoices a lookup returned to find the charge a
refund is for, and pairs a region's network status with the help center's troubleshooting.
Every text the customer sees exists in English and Korean.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nodes.language import Language
from nodes.llm import extract
from nodes.llm.tool_text_ko import in_korean as in_korean

_INVOICE = re.compile(
    r"^Invoice (?P<id>\S+) dated (?P<date>\S+): total \$(?P<total>[\d,.]+), "
    r"(?P<paid>paid|unpaid)\. Charges: (?P<items>.*)\.$",
    re.M,
)
_ITEM = re.compile(r"^(?P<description>.+) \$(?P<amount>[\d,]+\.\d{2})$")
_WORD = re.compile(r"[a-z0-9]+")
_IGNORED = frozenset(
    {"the", "and", "for", "my", "on", "of", "a", "fee", "fees", "refund", "charge", "charged",
     "please", "last", "invoice", "bill", "me", "was", "this", "that", "month", "want"}
)  # fmt: skip
_LATEST = re.compile(
    r"\b(?:last|latest|most\s+recent|recent|newest|this\s+month'?s?|current|june)\b|"
    r"지난|최근|이번\s*달|이번",
    re.I,
)


@dataclass(frozen=True)
class Charge:
    invoice_id: str
    description: str
    amount: float


@dataclass(frozen=True)
class RefundChoice:
    """The one charge a refund is for, or the question to ask when it is not clear; neither
    when no invoice line is named (a purchase not billed yet): the operator sets the amount."""

    charge: Charge | None
    question: str | None


def read_invoices(tool_text: str) -> list[list[Charge]]:
    """The charges of each invoice in a `get_invoices` result, newest invoice first."""
    invoices = []
    for match in _INVOICE.finditer(tool_text):
        charges = []
        for item in match.group("items").split("; "):
            found = _ITEM.match(item.strip())
            if found:
                amount = float(found.group("amount").replace(",", ""))
                charges.append(Charge(match.group("id"), found.group("description"), amount))
        invoices.append(charges)
    return invoices


def paid_invoices(tool_text: str) -> dict[str, float]:
    """The total of each paid invoice in a `get_invoices` result, by invoice id."""
    return {
        m.group("id"): float(m.group("total").replace(",", ""))
        for m in _INVOICE.finditer(tool_text)
        if m.group("paid") == "paid"
    }


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _IGNORED and len(w) > 2}


def _money(amount: float) -> str:
    return f"${amount:,.2f}"


def _listing(charges: list[Charge]) -> str:
    return "; ".join(f"{c.description} {_money(c.amount)} ({c.invoice_id})" for c in charges)


def _named_invoices(
    request: str, tool_text: str, invoices: list[list[Charge]]
) -> list[list[Charge]]:
    """The invoices the customer points at: one quoted by id, those of the month they name
    ("5월 청구서", "the May bill"), the newest for "last" or "this month", else all."""
    dates = {m.group("id"): m.group("date") for m in _INVOICE.finditer(tool_text)}
    quoted = extract.invoice_reference(request)
    month = extract.invoice_month(request)
    for wanted in (
        (lambda charges: charges[0].invoice_id == quoted) if quoted else None,
        (lambda charges: dates.get(charges[0].invoice_id, "")[5:7] == f"{month:02d}")
        if month
        else None,
    ):
        if wanted is not None and (named := [inv for inv in invoices if inv and wanted(inv)]):
            return named
    return invoices[:1] if _LATEST.search(request) else invoices


def choose_refund(request: str, tool_text: str, language: Language) -> RefundChoice:
    """The charge the customer describes: a line that appears twice when they say they were
    charged twice, else the line their words name. Several candidates become one question back,
    as does a double charge that no invoice shows."""
    invoices = read_invoices(tool_text)
    if not invoices:
        return RefundChoice(None, ASK_WHICH_CHARGE_NONE[language])
    searched = _named_invoices(request, tool_text, invoices)
    if extract.reports_duplicate(request):
        candidates = []
        for charges in searched:
            counts = Counter((c.description, c.amount) for c in charges)
            candidates += [
                c for c in dict.fromkeys(charges) if counts[(c.description, c.amount)] > 1
            ]
        if not candidates:
            # no line twice on one invoice: a paid invoice charged twice is a second payment of
            # its whole total; an unpaid one cannot have been, so the customer is asked
            paid = paid_invoices(tool_text)
            newest = searched[0][0].invoice_id if searched[0] else None
            if newest in paid:
                return RefundChoice(Charge(newest, DUPLICATE_PAYMENT, paid[newest]), None)
            lines = _listing([c for charges in searched for c in charges])
            return RefundChoice(None, NO_DUPLICATE[language].format(lines=lines))
    else:
        wanted = _words(request)
        scored = [(len(wanted & _words(c.description)), c) for inv in searched for c in inv]
        best = max((score for score, _ in scored), default=0)
        candidates = [c for score, c in scored if best and score == best]
        # the same line on several invoices: the newest one is the one being asked about
        if len({c.description for c in candidates}) == 1:
            candidates = candidates[:1]
    if len(candidates) == 1:
        return RefundChoice(candidates[0], None)
    if not candidates:
        return RefundChoice(None, None)
    return RefundChoice(None, SEVERAL_MATCH[language].format(lines=_listing(candidates)))


def network_reply(status_text: str, troubleshooting: str | None, language: Language) -> str:
    """The region's status, what to try from the help center, and a ticket offered."""
    parts = [NETWORK_HEADLINE[language].format(status=status_text)]
    if troubleshooting:
        parts.append(TRY_THIS[language].format(steps=troubleshooting))
    parts.append(OFFER_TICKET[language])
    return "\n\n".join(parts)


DUPLICATE_PAYMENT = "second payment of the invoice total"
"""The description a refund of a paid invoice's whole total carries."""

ASK_WHICH_CHARGE_NONE = {
    "en": "I couldn't find an invoice to refund on your account. Which charge do you mean?",
    "ko": "계정에서 환불할 청구서를 찾지 못했습니다. 어떤 요금을 말씀하시는지 알려 주시겠어요?",
}
NO_DUPLICATE = {
    "en": "I checked, and no charge appears twice on that invoice: {lines}. If one of these "
    "charges looks wrong, tell me which; or I can open a billing ticket so our billing team "
    "looks into the double charge.",
    "ko": "확인해 보니 해당 청구서에 두 번 청구된 항목이 없습니다: "
    "{lines}. 이 중 잘못된 요금이 있으면 알려 주세요. 원하시면 요금 담당팀이 "
    "이중 청구를 확인하도록 요금 상담 티켓을 접수해 드리겠습니다.",
}
"""A double charge that no invoice shows is not refunded on a guess: the invoices are quoted
and a ticket offered, since only the billing team can see a second payment outside them."""
SEVERAL_MATCH = {
    "en": "More than one charge fits what you describe: {lines}. Which one should I refund?",
    "ko": "말씀하신 내용에 맞는 요금이 여러 건 있습니다: {lines}. 어떤 요금을 환불해 드릴까요?",
}
NETWORK_HEADLINE = {
    "en": "Here is the network status in your area. {status}",
    "ko": "고객님 지역의 네트워크 상태입니다. {status}",
}
TRY_THIS = {
    "en": "In the meantime, from our help center: {steps}",
    "ko": "그동안 도움말 센터의 안내를 참고해 주세요: {steps}",
}
OFFER_TICKET = {
    "en": "If this doesn't fix it, tell me and I'll open a support ticket so a technician "
    "looks into it.",
    "ko": "그래도 해결되지 않으면 말씀해 주세요. 기술 담당자가 확인할 "
    "수 있도록 상담 티켓을 접수해 드리겠습니다.",
}
WHICH_PLAN = {
    "en": "Happy to change your plan. Which one would you like: Nimbus Lite, Nimbus Plus or "
    "Nimbus Unlimited for mobile, or Fiber 300, Fiber 1 Gig or Fiber 2 Gig for home internet?",
    "ko": "요금제 변경을 도와드리겠습니다. 어떤 요금제로 바꾸시겠어요? "
    "모바일은 Nimbus Lite, Nimbus Plus, "
    "Nimbus Unlimited, 인터넷은 Fiber 300, Fiber 1 Gig, Fiber 2 Gig 중에서 선택하실 수 있습니다.",
}
CLARIFY_ACTION = {
    "en": "I want to be sure I do the right thing. Could you tell me in a few words what you'd "
    "like: a plan change, a cancellation, a refund, or a new SIM?",
    "ko": "정확히 처리해 드리기 위해 여쭤봅니다. 원하시는 것이 요금제 "
    "변경, 해지, 환불, 유심 교체 중 어떤 것인지 "
    "알려 주시겠어요?",
}
CANNOT_DO = {
    "en": "I'm sorry, that could not be done. {detail}",
    "ko": "죄송합니다. 요청하신 작업을 처리하지 못했습니다. {detail}",
}
