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
SYLLABLE_WEIGHT = 2
"""Letters a Hangul syllable counts for: one syllable block holds two or three jamo, so
"eSIM activation 하고 싶어요" is a Korean sentence with English words in it, as a reader
sees it, while one Korean word in an English sentence stays English."""


def _is_hangul(char: str) -> bool:
    return (
        "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"
    )


def detect_language(text: str) -> Language:
    """'ko' when enough of the message's letters are Hangul, else 'en'."""
    latin = hangul = 0
    for char in text:
        if _is_hangul(char):
            hangul += SYLLABLE_WEIGHT if "\uac00" <= char <= "\ud7a3" else 1
        elif char.isalpha():
            latin += 1
    if not latin + hangul:
        return "en"
    return "ko" if hangul / (latin + hangul) >= KOREAN_SHARE else "en"


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
    "변경": "change", "바꾸": "change switch", "바꿔": "change switch", "바꿀": "change switch",
    "올리": "upgrade",
    "업그레이드": "upgrade", "낮추": "downgrade", "낮춰": "downgrade", "다운그레이드": "downgrade",
    "해지": "cancel", "해약": "cancel", "탈퇴": "close account cancel", "끊": "disconnect",
    "유심": "sim", "이심": "esim", "번호": "number", "개통": "activate", "활성화": "activate",
    "상담원": "agent", "상담사": "agent", "사람": "person human",
    "직원": "staff", "연결": "connect", "얘기하": "talk to", "이야기하": "talk to",
    "통화": "call talk", "고객센터": "support contact", "가격": "price", "비교": "compare",
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
    "숙제": "homework", "나누기": "divided math homework", "빼기": "minus math homework",
    "돌려 놓": "switch set up", "돌려놓": "switch set up", "번역": "translate",
    "축구": "football sports", "야구": "baseball sports",
    "레시피": "recipe",
    "코드": "code",
    "조심": "careful threat",
    "가만": "threat",
    "무시": "ignore",
    "지시": "instructions", "규칙": "rules", "프롬프트": "prompt",
    "고지서": "bill paperless", "사본": "copy", "전자 고지": "paperless", "종이": "paper",
    "어르신": "senior", "경로": "senior", "노인": "senior", "대학생": "student",
    "분할": "installments", "나눠": "installments", "관리자": "authorized user",
    "권한": "authorized", "대리인": "authorized user", "보상판매": "trade-in",
    "트레이드인": "trade-in", "중고폰": "trade-in", "보상": "credit compensation",
    "감면": "credit", "개인정보": "personal data privacy", "자녀": "parental kids",
    "애들": "parental kids", "유해": "parental controls", "번호이동": "port number carrier",
    "통신사": "carrier", "예약": "schedule appointment", "충전": "top up", "사용량": "usage",
    "커버리지": "coverage", "반납": "return equipment", "밀린": "overdue balance",
    "미납금": "unpaid balance due", "신고한": "reported ticket", "먹통": "not working down",
    "전원": "power", "유출": "leaked fraud", "날씨": "weather", "영화": "movie",
    "드라마": "drama", "주식": "stocks", "코인": "crypto", "농담": "joke", "여행": "travel",
    "맛집": "restaurant", "숙박": "hotel", "잊어버": "forgot", "까먹": "forgot",
    "기억이 안": "forgot", "추가로": "more add", "다 쓰": "run out",
    "다 써": "run out", "모자라": "run out more", "새로 받": "replace new", "재발급": "replace new",
    "사용 가능": "use", "쓸 수 있": "use", "방법": "how", "어떻게": "how", "올려": "upgrade",
    "내려": "downgrade", "갈아타": "switch change", "전환": "switch", "추천": "recommend",
    "페이": "pay payment method", "카드": "card", "현금": "cash", "계좌": "bank account",
    "가입": "sign up", "다시 받": "copy", "재발행": "copy", "빠른": "fast", "빠르": "fast",
    "주말": "weekend hours", "문 열": "open hours", "상품": "plan",
    "비번": "password", "불만": "complaint", "항의": "complaint", "콜백": "callback",
    "연락이 없": "no callback", "옮겨": "move transfer", "옮기": "move transfer",
    "무제한": "unlimited", "언리미티드": "unlimited", "라이트": "lite", "플러스": "plus",
    "통신망": "network", "회선": "line", "부가서비스": "add-on service", "목소리": "voice call",
    "안 들려": "can't hear", "안들려": "can't hear", "빨간불": "red light", "껐다": "restart",
    "멍청": "stupid idiot", "꺼져": "get lost", "닥쳐": "shut up", "바보": "stupid",
    "다치게": "hurt threat", "죽여": "kill threat", "곱하기": "times math homework",
    "더하기": "plus math homework", "수학": "math homework", "문제 풀": "solve homework",
    "점심": "lunch food", "저녁 메뉴": "dinner food", "연애": "dating", "여자친구": "girlfriend",
    "남자친구": "boyfriend", "경기": "game sports", "이겼": "won game", "스코어": "score",
    "조사": "investigate", "알아봐": "look into investigate", "반영": "applied",
    "안 낸": "unpaid", "안낸": "unpaid", "안 잡혀": "no signal", "안잡혀": "no signal",
    "안 터져": "no signal", "안터져": "no signal", "자동결제": "autopay", "깎아": "discount",
    "민원": "complaint", "잠겼": "locked", "잠금": "lock", "다 해봤": "already tried",
    "다해봤": "already tried",
    "고장": "broken", "망가": "broken damaged", "불량": "defective broken",
    "안 켜": "won't turn on broken", "안켜": "won't turn on broken",
    "안 열": "won't open not working", "안열": "won't open not working",
    "안 됨": "not working", "안됨": "not working",
    "안 되고": "not working", "안되고": "not working", "안 되네": "not working",
    "안되네": "not working", "안 되는데": "not working", "안되는데": "not working",
    "안 나와": "not working", "안나와": "not working", "신호": "signal", "안테나": "signal",
    "통화권": "signal coverage", "인식": "recognized", "화면": "screen", "액정": "screen",
    "배터리": "battery", "방문": "visit technician", "점검": "technician check",
    "출장": "technician visit", "수리": "repair", "단자": "cable jack", "선이": "cable",
    "이틀째": "for days still", "사흘째": "for days still", "나흘째": "for days still",
    "며칠째": "for days still", "몇일째": "for days still", "일주일째": "for a week still",
    "주째": "for weeks still", "달째": "for months still", "일째": "for days still",
    "닷새째": "for days still", "열흘째": "for days still", "보름째": "for days still",
    "아직도": "still", "여전히": "still",
    "이미": "already", "분명히": "already", "빠져나": "charged debited", "찍혀": "charged",
    "찍혔": "charged", "소액결제": "unrecognized charge", "이용료": "charge",
    "할부금": "installments", "통화료": "call charges", "두 배": "double overcharged",
    "두배": "double overcharged", "도용": "stolen fraud", "인증번호": "verification code",
    "독촉": "collections overdue", "흠집": "scratched damaged", "깨뜨": "broke damaged",
    "찢어": "tore damaged", "불쾌": "rude complaint", "반말": "rude", "무례": "rude complaint",
    "짜증": "frustrated complaint", "화가 나": "angry complaint", "화나": "angry complaint",
    "실망": "disappointed complaint", "황당": "outrageous complaint",
    "말이 됩니까": "outrageous complaint", "말이 되나": "outrageous complaint",
    "말이 돼": "outrageous complaint",
    "어이가 없": "outrageous complaint", "어이없": "outrageous complaint",
    "기가 막": "outrageous complaint", "너무하": "outrageous complaint", "대기 시간": "wait time",
    "기다리": "waiting", "잘못": "wrong error", "이상하": "wrong strange",
    "이상한": "wrong strange",
    "모르는": "unrecognized", "처음 보는": "unrecognized", "안 와": "not received",
    "안와": "not received", "안 옴": "not received", "안옴": "not received", "도착": "arrived",
    "반품": "return", "구성품": "box contents", "이삿": "move", "이전 신청": "move transfer",
    "이전 설치": "move transfer installation", "인터넷 이전": "move internet",
    "새 주소": "new address", "새집": "new home", "새 집": "new home",
    "회색": "greyed out disabled", "비활성": "greyed out disabled", "흐리게": "greyed out",
    "안 눌": "won't switch on", "안눌": "won't switch on",
    "안 끝났": "not completed still pending", "안끝났": "not completed still pending",
    "완료가 안": "not completed", "완료 안": "not completed", "처리가 안": "not completed",
    "여야 하는데": "should be but is", "이어야 하는데": "should be but is",
    "여야 되는데": "should be but is", "이어야 되는데": "should be but is",
    "라고 했는데": "was promised but", "영수증": "receipt proof", "크레딧": "credit",
    "복구": "restored back up", "예상 시간": "eta estimated time", "예정 시간": "eta",
    "비용": "cost", "교체": "replace", "새 걸로": "replace new", "새걸로": "replace new",
    "깨졌": "cracked broken", "깨진": "cracked broken", "깨져": "cracked broken",
    "태블릿": "tablet", "차이": "difference compare", "핫스팟": "hotspot",
    "테더링": "hotspot tethering", "제공량": "allowance", "용량": "allowance",
    "뭐가 다르": "difference compare", "뭐가 달라": "difference compare",
    "어떻게 다르": "difference compare", "다른지": "difference compare",
    "문자": "text messages sms",
    "스미싱": "scam text messages phishing", "피싱": "phishing scam",
    "어떻게 해주실": "what will you do about it complaint",
    "어떻게 해 주실": "what will you do about it complaint",
    "어떻게 하실 거": "what will you do about it complaint",
    "어떻게 책임": "who takes responsibility complaint", "책임지": "take responsibility complaint",
    "책임져": "take responsibility complaint", "엉뚱한": "wrong",
}  # fmt: skip
_PORT_IN = "bring to nimbus from another carrier"
_PORT_OUT = "transfer from nimbus to another carrier"
_PORT_DIRECTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:님버스|nimbus)\s?(?:으로|로|에\s?가입)|넘어오|넘어와|옮겨\s?오|가져오|가져와|"
                r"통신사\s?(?:쓰다가|쓰고\s?있는데)", re.I), _PORT_IN),
    (re.compile(r"(?:님버스|nimbus)\s?에서|(?:다른|타)\s?(?:통신사|회사|데)\s?(?:으로|로)|타사로|"
                r"떠나", re.I), _PORT_OUT),
)  # fmt: skip
"""Which way a number moves: "님버스로 옮기고 싶어요" comes in, "다른 통신사로 옮기려면" goes
out. "옮기" alone reads "move transfer" either way, and the entry on leaving says "transfer",
so without the direction a customer coming to us read as one leaving."""
_REQUEST = "please do it"
_KOREAN_INFO = re.compile(r"알려|보여|비교|설명|안내|확인")
"""Asking to be told, shown, compared or checked ("비교 좀 해 주세요", "확인해 주세요") is a
question or a report, not a request to act."""
KOREAN_REQUEST_ENDING = (
    r"(?<!알려)(?<!알려 )(?<!보여)(?<!보여 )"
    r"(?:주세[요여용염]?|주십(?:쇼|시오)|주쇼|주삼|주셈|줘|주실래요|주시겠어요|주실\s?수|줄\s?수|"
    r"부탁|ㄱ\s?ㄱ)"
)
"""A Korean ending that asks us to act, in every register: "바꿔 주세요", texting's "바꿔주세여",
"해주삼", "해주셈", "바꿔줘", "부탁해여", and "해지 ㄱㄱ" ("go go"); one pattern for the gloss
and for the offline backend's reading of a request, so casual endings count as 주세요 does."""
_KOREAN_ENDINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(KOREAN_REQUEST_ENDING), _REQUEST),
    (re.compile(r"(?:되나요|되나여|되나\?|가능한가요|"
                r"(?<!수)(?<!수 )(?<!어)(?<!어 )(?<!돼)(?<!돼 )있나요)"), "can i is there"),
)  # fmt: skip
"""Sentence endings that say whether a Korean message asks us to do something ("해 주세요",
"바꿔 주실 수 있나요") or asks whether something exists or is allowed ("환불 되나요", "할인
있나요"; not "바꿀 수 있나요", a request as often as a question, nor "되어 있나요", a
question about the customer's own records): the same split the English
examples draw between "please refund me" and "can I get a refund", found inside words so a
message written without spaces keeps it."""
_KOREAN_OWN = re.compile(
    r"(?:^|\s)(?:제|내|저희|우리)\s|(?:^|\s)제가\s|"
    r"(?:^|\s)(?:제|내|저희|우리)(?=계정|요금|청구|인터넷|이메일|메일|번호|폰|휴대폰|주소|회선|광랜|데이터|집)"
)
"""'My' in Korean, as a word of its own ("제 청구서", "내 요금제"): a question about the customer's
own records, which a specialist answers, not the help center (no stem: "제" starts "제주");
written without a space, only before a word for the customer's records ("내이메일")."""
_HANGUL = re.compile("[\uac00-\ud7a3]")
_KOREAN_STEMS = re.compile("|".join(sorted(map(re.escape, KOREAN_GLOSS), key=len, reverse=True)))


def english_gloss(text: str) -> str:
    """The text followed by English glosses of the Korean telecom words in it, so models and
    an index built on English also read a Korean message (unchanged when there are none)."""
    glosses = [KOREAN_GLOSS[m.group(0)] for m in _KOREAN_STEMS.finditer(text)]
    if _KOREAN_OWN.search(text):
        glosses.append("my")
    glosses += [gloss for direction, gloss in _PORT_DIRECTIONS if direction.search(text)]
    if glosses or _HANGUL.search(text):
        informative = _KOREAN_INFO.search(text) is not None
        glosses += [
            gloss
            for ending, gloss in _KOREAN_ENDINGS
            if ending.search(text) and not (informative and gloss == _REQUEST)
        ]
    return f"{text} ({' '.join(glosses)})" if glosses else text


# The English labels the records use (tiers, statuses, ticket categories and priorities,
# services), said in Korean where a Korean customer reads them.
KOREAN_LABELS: dict[str, str] = {
    "standard": "일반", "premium": "프리미엄", "business": "비즈니스",
    "active": "정상", "suspended": "정지", "closed": "해지",
    "ok": "정상", "degraded": "품질 저하", "outage": "장애",
    "billing": "요금", "technical": "기술", "account": "계정", "general": "일반",
    "low": "낮음", "medium": "보통", "high": "높음", "urgent": "긴급",
    "open": "접수", "in_progress": "처리 중", "pending": "대기", "resolved": "해결",
    "mobile": "모바일", "internet": "인터넷", "physical": "일반 유심", "esim": "eSIM",
}  # fmt: skip


def korean_label(label: str) -> str:
    """A record's English label in Korean; one with no Korean form is kept as it is."""
    return KOREAN_LABELS.get(label, label)
