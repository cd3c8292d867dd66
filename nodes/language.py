"""The language a customer writes in, per message, so every reply can answer in it.

Script counting, not a model: Hangul is unambiguous, and the product answers in English or
Korean only, so anything that is not mostly Hangul is answered in English.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "ko"]

KOREAN_SHARE = 0.3
"""Share of a message's letters that are Hangul from which it is Korean: a Korean message
often carries Latin plan names, ids or e-mail addresses."""


def _is_hangul(char: str) -> bool:
    return (
        "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"
    )


def detect_language(text: str) -> Language:
    """'ko' when enough of the message's letters are Hangul, else 'en'."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    hangul = sum(1 for c in letters if _is_hangul(c))
    return "ko" if hangul / len(letters) >= KOREAN_SHARE else "en"


# Korean telecom words and the English the classifiers and the help-center index were built
# on. Korean attaches particles and endings to a stem ("요금제를", "해지하고"), so stems are
# found inside words. Longer stems come first in the alternation, so "자동이체" wins over "이체".
KOREAN_GLOSS: dict[str, str] = {
    "요금제": "plan",
    "요금": "bill charge price",
    "청구서": "invoice bill",
    "명세서": "invoice statement",
    "청구": "charge billed",
    "납부": "pay payment",
    "결제": "payment charge",
    "미납": "unpaid balance due",
    "잔액": "balance", "얼마": "how much", "내야": "owe due", "연체": "late", "연체료": "late fee",
    "자동이체": "autopay", "자동납부": "autopay", "자동 결제": "autopay", "환불": "refund",
    "돌려": "refund money back", "두 번": "twice", "중복": "duplicate twice", "이중": "double",
    "변경": "change", "바꾸": "change switch", "바꿔": "change switch", "올리": "upgrade",
    "업그레이드": "upgrade", "낮추": "downgrade", "낮춰": "downgrade", "다운그레이드": "downgrade",
    "해지": "cancel", "해약": "cancel", "탈퇴": "close account cancel", "끊": "disconnect",
    "유심": "sim", "이심": "esim", "번호": "number", "개통": "activate", "활성화": "activate",
    "상담원": "agent human person", "상담사": "agent human person", "사람": "person human",
    "직원": "staff person", "연결": "connect", "통화": "call talk", "고객센터": "support contact",
    "전화번호": "phone number", "이메일": "email", "메일": "email", "주소": "address",
    "계정": "account",
    "프로필": "profile",
    "등급": "tier",
    "회원": "member tier",
    "정지": "suspended",
    "상태": "status", "등록": "on file registered", "티켓": "ticket", "문의": "ticket inquiry",
    "접수": "opened ticket", "진행": "status progress", "인터넷": "internet", "와이파이": "wifi",
    "광랜": "fiber", "기가": "gig", "속도": "speed", "느려": "slow", "느리": "slow", "느린": "slow",
    "끊겨": "dropping", "안 돼": "not working", "안돼": "not working", "장애": "outage",
    "지역": "area region",
    "동네": "area",
    "네트워크": "network",
    "데이터": "data",
    "로밍": "roaming",
    "해외": "abroad international",
    "국제": "international",
    "잠금 해제": "unlock",
    "언락": "unlock",
    "분실": "lost", "잃어버": "lost", "도난": "stolen", "비밀번호": "password", "재설정": "reset",
    "매장": "store", "영업시간": "hours", "운영 시간": "hours", "위약금": "early termination fee",
    "수수료": "fee", "할인": "discount", "학생": "student", "가족": "family", "공유기": "router",
    "라우터": "router", "모뎀": "modem", "재부팅": "restart", "초기화": "factory reset",
    "설치": "installation", "이사": "move", "기기": "device", "휴대폰": "phone", "폰": "phone",
    "보험": "insurance protect", "할부": "installments", "보이스메일": "voicemail",
    "음성사서함": "voicemail", "스팸": "spam", "로그인": "log in", "해킹": "hacked fraud",
    "몰래": "unauthorized", "명의": "identity", "불친절": "rude complaint", "기사": "technician",
    "파손": "damaged", "배송": "delivery", "택배": "delivery", "앱": "app", "홈페이지": "website",
    "숙제": "homework", "번역": "translate", "축구": "football sports", "야구": "baseball sports",
    "레시피": "recipe",
    "코드": "code",
    "조심": "careful threat",
    "가만": "threat",
    "무시": "ignore",
    "지시": "instructions", "규칙": "rules", "프롬프트": "prompt",
}  # fmt: skip
_KOREAN_STEMS = re.compile("|".join(sorted(map(re.escape, KOREAN_GLOSS), key=len, reverse=True)))


def english_gloss(text: str) -> str:
    """The text followed by English glosses of the Korean telecom words in it, so models and
    an index built on English also read a Korean message (unchanged when there are none)."""
    glosses = [KOREAN_GLOSS[m.group(0)] for m in _KOREAN_STEMS.finditer(text)]
    return f"{text} ({' '.join(glosses)})" if glosses else text
