"""Tool results said in Korean for a Korean customer on the offline backend.

The tools answer in English (the hosted model reads them and answers in the customer's
language itself); the offline specialist repeats a result, so each line a tool writes has a
Korean form here. Figures, ids, dates, plan names and free-text notes are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nodes.language import korean_label


def _korean_items(items: str) -> str:
    """Invoice lines with their common descriptions in Korean; plan names, figures and the
    details in brackets are kept."""
    for english, korean in _KOREAN_ITEMS:
        items = english.sub(korean, items)
    return items


_KOREAN_ITEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), korean)
    for pattern, korean in (
        (r"(Nimbus \w+) plan\b", r"\1 요금제"),
        (r"\bTaxes and fees\b", "세금 및 수수료"),
        (r"\bAutopay discount\b", "자동이체 할인"),
        (r"\bAdditional line discount\b", "추가 회선 할인"),
        (r"\bStudent discount\b", "학생 할인"),
        (r"\bSenior discount\b", "경로 할인"),
        (r"\bPaper bill fee\b", "종이 청구서 수수료"),
        (r"\bLate fee\b", "연체료"),
        (r"\bInstallation fee\b", "설치비"),
        (r"\bUnreturned equipment fee\b", "장비 미반납 수수료"),
        (r"\bTrade-in credit\b", "보상판매 크레딧"),
        (r"\bPartial month charges\b", "일할 계산 요금"),
        (r"\b(World Calling) add-on\b", r"\1 부가서비스"),
        (r"\bRouter rental\b", "공유기 대여"),
    )
)


def _network(match: re.Match[str]) -> str:
    region, status, since, rest = match.groups()
    note, _, eta = rest.strip().partition(" Expected fix: ")
    said = f"{region} 지역 네트워크: {since}부터 {korean_label(status)} 상태입니다."
    if eta:
        said += f" 복구 예정: {eta.rstrip('.')}."
    return f"{said} (안내 원문: {note})" if note else said


_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), korean)
    for pattern, korean in (
        (r"^the account is already on (.+)$", r"이미 \1을(를) 이용 중이십니다"),
        (r"^the account is already closed$", "계정이 이미 해지되었습니다"),
        (r"^the account has no mobile service$", "모바일 서비스가 없는 계정입니다"),
        (r"^the account has no home internet$", "인터넷 서비스가 없는 계정입니다"),
        (
            r"^the account has no mobile line to (?:move|put on an eSIM)$",
            "옮길 모바일 회선이 없습니다",
        ),
        (r"^the account has no (\w+) to change$", r"변경할 \1 상품이 없습니다"),
        (
            r"^the account is (\w+), so no eSIM can be activated$",
            "계정 상태 때문에 eSIM을 개통할 수 없습니다",
        ),
        (r"^the refund amount is unknown.*$", "환불 금액을 알 수 없습니다"),
        (
            r"^a refund must be more than \$0 and at most (\$[\d,.]+)$",
            r"환불 금액은 $0보다 크고 \1 이하여야 합니다",
        ),
        (
            r"^(\$[\d,.]+) is more than the (\$[\d,.]+) charged for (.+)$",
            r"\1은(는) \3에 청구된 \2보다 많습니다",
        ),
        (
            r"^invoice (\S+) is not on this customer's account$",
            r"청구서 \1은(는) 고객님 계정에 없습니다",
        ),
    )
)


def _reason(english: str) -> str:
    for pattern, korean in _REASONS:
        if pattern.match(english):
            return pattern.sub(korean, english)
    return english


_Template = str | Callable[[re.Match[str]], str]
_KOREAN_TOOL_TEXT: tuple[tuple[re.Pattern[str], _Template], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (
            r"^Your balance is \$0\.00: nothing is due right now\.$",
            "현재 납부하실 금액이 없습니다 (잔액 $0.00).",
        ),
        (
            r"^Your balance due is (\$[\d,.]+), due on (\S+) \((\d+) unpaid invoices?\)\.$",
            r"납부하실 금액은 \1이며 납부 기한은 \2입니다 (미납 청구서 \3건).",
        ),
        (
            r"^Invoice (\S+) dated (\S+): total (\$[\d,.]+), (paid|unpaid)\. Charges: (.*)\.$",
            lambda m: (
                f"청구서 {m[1]} ({m[2]}): 합계 {m[3]}, "
                f"{'납부 완료' if m[4] == 'paid' else '미납'}. 내역: {_korean_items(m[5])}."
            ),
        ),
        (
            r"^Autopay is turned on: .*$",
            "자동이체가 켜져 있습니다. 매 청구서는 납부일 2일 전에 결제됩니다.",
        ),
        (r"^Autopay is turned off on .*$", "자동이체가 꺼져 있어 청구서를 직접 납부하고 계십니다."),
        (
            r"^Account (\S+) \((.*)\): (\w+) tier, status (\w+), region ([^;]+); contact "
            r"(\S+), (.+)\.$",
            lambda m: (
                f"계정 {m[1]} ({m[2]}): {korean_label(m[3])} 등급, 상태 "
                f"{korean_label(m[4])}, 지역 {m[5]}. 등록된 연락처: {m[6]}, {m[7]}."
            ),
        ),
        (
            r"^You have (.+) for mobile and (.+) for home internet\.$",
            r"모바일은 \1, 인터넷은 \2을(를) 이용 중이십니다.",
        ),
        (r"^You have no open support tickets\.$", "진행 중인 상담 티켓이 없습니다."),
        (
            r"^Ticket (\S+) \((\w+), opened (\S+)\): (.*) — (\w+)\.$",
            lambda m: (
                f"티켓 {m[1]} ({korean_label(m[2])}, {m[3]} 접수): {m[4]} — 상태 "
                f"{korean_label(m[5])}."
            ),
        ),
        (
            r"^Refused by policy: (.+)\. Nothing was changed\.$",
            lambda m: f"정책상 처리할 수 없습니다: {_reason(m[1])}. 변경된 내용은 없습니다.",
        ),
        (
            r"^The operator rejected this request: (.*)\. Nothing was changed\.$",
            r"담당자가 요청을 반려했습니다: \1. 변경된 내용은 없습니다.",
        ),
        (
            r"^The request was withdrawn before anyone approved it \((.*)\)\. "
            r"Nothing was changed\.$",
            r"승인 전에 요청이 철회되었습니다 (\1). 변경된 내용은 없습니다.",
        ),
        (
            r"^Sensitive actions are paused .* I've opened ticket (\S+) and a person will follow "
            r"up\. Nothing was changed yet\.$",
            r"지금은 민감한 작업이 일시 중지되어 직접 처리해 드릴 수 없습니다. 상담 티켓 \1을(를) "
            r"접수했으며 담당자가 연락드릴 예정입니다. 아직 변경된 내용은 없습니다.",
        ),
        (r"^Network in ([^:]+): (\w+) since (\S+)\.(.*)$", _network),
        (
            r"^No customer is signed in.*$",
            "로그인된 고객이 없어 계정 정보를 확인할 수 없습니다. 먼저 로그인해 주세요.",
        ),
        (
            r"^A refund of (\$[\d,.]+) was approved \(reference (\S+)\)\.$",
            r"\1 환불이 승인되었습니다 (참조 번호 \2).",
        ),
        (
            r"^Your plan change to (.+) was approved and scheduled \(reference (\S+)\)\.$",
            r"\1(으)로 요금제 변경이 승인되어 예약되었습니다 (참조 번호 \2).",
        ),
        (
            r"^Cancellation of your (\w+) service was approved \(reference (\S+)\)\.$",
            lambda m: f"{korean_label(m[1])} 서비스 해지가 승인되었습니다 (참조 번호 {m[2]}).",
        ),
        (
            r"^Moving your number to a new (\w+) SIM was approved \(reference (\S+)\)\.$",
            lambda m: (
                f"새 {korean_label(m[1])}(으)로 번호 이동이 승인되었습니다 (참조 번호 {m[2]})."
            ),
        ),
    )
)


def in_korean(tool_text: str) -> str:
    """A tool's English result said in Korean, line by line; figures, ids and names are kept
    as the tool wrote them, and a line with no Korean form is kept in English."""
    lines = []
    for line in tool_text.splitlines():
        for pattern, template in _KOREAN_TOOL_TEXT:
            if pattern.match(line):
                line = pattern.sub(template, line)
                break
        lines.append(line)
    return "\n".join(lines)
