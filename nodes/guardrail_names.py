"""Other customers named the way people actually type names: nicknames ("Jim Whitaker"),
surname first ("Whitaker, James", "Park Ji-ho"), without accents or hyphens, in Hangul
("제임스 휘태커", "박지호 님"), and through look-alike letters (folded before this runs).

Names are matched as token pairs looked up in a set, so a message is read once, whatever the
number of customers. A name right after a staff word ("your technician Thomas Reed") or
before "from your store" is a person who works here, not a customer being looked up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

NICKNAMES: Mapping[str, tuple[str, ...]] = {
    "james": ("jim", "jimmy", "jamie", "jimbo"),
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "daniel": ("dan", "danny"),
    "benjamin": ("ben", "benji", "benny"),
    "samuel": ("sam", "sammy"),
    "thomas": ("tom", "tommy"),
    "mohammed": ("mo", "mohamed", "muhammad", "mohammad", "mohamad"),
    "isabela": ("isabella", "isabel", "bela", "isa", "izzy"),
    "hannah": ("hanna",),
    "olivia": ("liv", "livvy", "livia"),
    "emily": ("em", "emmy", "emilie", "emmie"),
    "sofia": ("sophia", "sophie"),
    "lucas": ("luke", "luca"),
    "maria": ("mary", "marie"),
    "grace": ("gracie",),
    "chloe": ("chloé",),
    "william": ("will", "bill", "billy"),
    "elizabeth": ("liz", "beth", "lizzie"),
}
"""Common English short forms of given names."""

HANGUL: Mapping[str, tuple[str, ...]] = {
    "james": ("제임스",), "emily": ("에밀리",), "maria": ("마리아",),
    "daniel": ("대니얼", "다니엘"),
    "robert": ("로버트",), "thomas": ("토머스", "토마스"), "sofia": ("소피아",),
    "lucas": ("루카스",), "olivia": ("올리비아",), "noah": ("노아",), "ava": ("에바", "아바"),
    "grace": ("그레이스",), "ethan": ("이선", "에단", "이든"), "chloe": ("클로이",),
    "hannah": ("한나", "해나"), "benjamin": ("벤저민", "벤자민"), "samuel": ("새뮤얼", "사무엘"),
    "priya": ("프리야",), "aiko": ("아이코",), "kwame": ("콰메",), "lina": ("리나",),
    "isabela": ("이사벨라",), "mohammed": ("모하메드", "무함마드"),
    "gonzalez": ("곤잘레스", "곤살레스"), "whitaker": ("휘태커", "위태커"), "raman": ("라만",),
    "okafor": ("오카포", "오카포르"), "chen": ("첸",), "martin": ("마틴",),
    "tanaka": ("다나카", "타나카"), "fischer": ("피셔",), "rossi": ("로시", "로씨"),
    "mensah": ("멘사",), "schultz": ("슐츠",), "brooks": ("브룩스",),
    "al-sayed": ("알사예드", "알 사예드"), "liu": ("리우", "류"), "novak": ("노박",),
    "costa": ("코스타",), "reed": ("리드",), "dubois": ("뒤부아",), "williams": ("윌리엄스",),
    "patel": ("파텔",), "osei": ("오세이",), "haddad": ("하다드",), "carter": ("카터",),
    "park": ("박",), "kim": ("김",), "ji-ho": ("지호",), "min-seo": ("민서",),
}  # fmt: skip
"""How Latin-script given names and surnames are written in Hangul (common renderings)."""

JAPANESE: Mapping[str, tuple[str, ...]] = {
    "maria": ("マリア",), "gonzalez": ("ゴンザレス",), "james": ("ジェームズ", "ジェイムズ"),
    "whitaker": ("ウィテカー", "ホイテカー", "ウィタカー"), "priya": ("プリヤ",),
    "raman": ("ラマン",),
    "daniel": ("ダニエル",), "okafor": ("オカフォー", "オカフォル"), "emily": ("エミリー",),
    "chen": ("チェン", "陳"), "lucas": ("ルーカス", "ルカス"), "martin": ("マーティン", "マルタン"),
    "aiko": ("アイコ", "愛子", "あいこ"), "tanaka": ("タナカ", "田中", "たなか"),
    "robert": ("ロバート",), "fischer": ("フィッシャー", "フィシャー"), "sofia": ("ソフィア",),
    "rossi": ("ロッシ",), "kwame": ("クワメ",), "mensah": ("メンサ", "メンサー"),
    "hannah": ("ハンナ",), "schultz": ("シュルツ",), "ji-ho": ("ジホ",), "park": ("パク", "朴"),
    "olivia": ("オリビア", "オリヴィア"), "brooks": ("ブルックス",),
    "mohammed": ("モハメド", "ムハンマド"), "al-sayed": ("アルサイード", "アル・サイード"),
    "grace": ("グレース", "グレイス"), "liu": ("リウ", "劉"), "ethan": ("イーサン",),
    "novak": ("ノヴァク", "ノバク"), "isabela": ("イザベラ",), "costa": ("コスタ",),
    "thomas": ("トーマス", "トマス"), "reed": ("リード",), "chloe": ("クロエ",),
    "dubois": ("デュボア",), "min-seo": ("ミンソ",), "kim": ("キム", "金"), "noah": ("ノア",),
    "williams": ("ウィリアムズ",), "ava": ("エヴァ", "エバ"), "patel": ("パテル",),
    "samuel": ("サミュエル",), "osei": ("オセイ",), "lina": ("リナ",),
    "haddad": ("ハダド", "ハッダード"), "benjamin": ("ベンジャミン",), "carter": ("カーター",),
}  # fmt: skip
"""How given names and surnames are written in Japanese (katakana, and kanji for Japanese
names). Japanese runs words together, so these full names are found inside the text."""
_JAPANESE_RUN = re.compile(
    r"[\u3040-\u30ff\u4e00-\u9fff](?:[\u3040-\u30ff\u4e00-\u9fff]|[\s\uff65=\uff1d]"
    r"(?=[\u3040-\u30ff\u4e00-\u9fff]))*"
)
"""A run of kana and kanji, with the spaces and dots written between a name's parts."""
_JAPANESE_SEPARATORS = frozenset(" \t\u3000\u30fb\uff65=\uff1d")

TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "madam", "herr", "frau", "sr", "sra", "srta",
     "senor", "senora", "senorita", "mme", "mlle", "monsieur", "madame", "signor", "signora",
     "sig", "dona", "dom"}
)  # fmt: skip
"""Titles before a surname ("Mr. Whitaker", "Frau Schultz", "Sra. Gonzalez"): a customer
named by surname alone. Lower case, accents dropped, as `plain_name` reads them."""
_PLACE_AFTER = re.compile(
    r"^\.?[\"'\u2019\u201d)]?\s*,?\s*(?:who\s+(?:lives|works)\s+|living\s+|that\s+(?:lives|works)\s+|"
    r"works\s+|working\s+)?(?:in|from|at|near|over\s+in|for|of|with|en|de|a|aus|em|da|di|du|"
    r"bei|chez|von)\s+[^\W\d_]"
    r"|^\.?'s\s+(?:\w+\s+)?(?:account|bill|invoices?|balance|number|plan|usage|payments?|details)\b"
)
"""After a given name and an initial ("Maria G. in Harbor Bay", "'Thomas R.' at Reed
Architects", "Thomas R.'s invoice"): a place or a workplace that singles out one customer,
or their records asked for."""

_STAFF = frozenset(
    {"technician", "tech", "agent", "rep", "representative", "installer", "employee", "staff",
     "associate", "advisor", "adviser", "engineer", "named", "called", "manager", "cashier",
     "colleague", "operator", "specialist", "consultant", "기사", "기사님", "상담원", "상담사",
     "직원", "매니저"}
)  # fmt: skip
_STAFF_AFTER = re.compile(
    r"^,?\s*(?:from|at|of|with)\s+(?:your|the|nimbus)\b|^\s*(?:기사|상담원|상담사|직원|매니저)"
)
_STAFF_CONTEXT_AFTER = re.compile(
    # "on your chat", "in your billing department", "who fixed my router"
    r"^,?\s*^,?\s*(?:[\w-]+\s+){0,2}?(?:in|on|at|from|of)\s+(?:your|nimbus)\b"
    r"|^,?\s*(?:i\s+think|i\s+believe)?,?\s*(?:who|that)?\s*(?:fixed|helped\s+me|installed|"
    r"repaired|came\s+(?:out|over|to\s+(?:fix|install|set))|answered|set\s+up\s+my|serviced|"
    r"visited\s+to|handled\s+my|took\s+my\s+call)\b"
    r"|^,?\s*(?:en|dans|in|na|no|nel|nella)\s+(?:la\s+|el\s+|votre\s+|ihrem\s+|a\s+|o\s+)?(?:tienda|"
    r"boutique|laden|filiale|loja|negozio|store|shop|agence|sucursal)\b"
)
_STAFF_BEFORE = re.compile(
    r"(?:\b(?:nimbus|your|the)\s+(?:guy|lady|person|woman|man|team\s+member)|\bspoke\s+(?:with|to)"
    r"|\btalked\s+(?:with|to)|\bchatted\s+with|\bthanks\s+to|\bthank|\bserved\s+by|\bhelped\s+by"
    r"|\b(?:answered|picked\s+up|took)\s+(?:your|the|my)\s+(?:\w+\s+)?(?:call|phone|hotline|line|chat)\w*"
    r"\s+(?:was|is)|\batendi[oó]|\bm'a\s+(?:servi|aid[ée]|re[cç]u)|\bbedient\s+von|\bme\s+atendeu)"
    r"\W*$"
)
"""Wording around a name that makes it someone who works for Nimbus: "I spoke with X in your
billing department", "X on your chat yesterday", "the person who answered your hotline was X"."""
_ASKS_ABOUT_THEM = re.compile(
    r"\b(?:his|her|their)\s+(?:\w+\s+)?(?:balance|bill|invoices?|number|address|plan|payments?|usage|"
    r"calls?|call\s+logs?|account|details|info\w*|contract|line|data|e-?mail|location|pin)\b"
    r"|\b(?:su|sa|son|seu|sua|sein\w*|ihr\w*)\s+(?:saldo|factura|facture|solde|rechnung|n[uú]mero|"
    r"num[ée]ro|nummer|direcci[oó]n|adresse|cuenta|compte|konto)\b",
    re.I,
)
"""A message that asks about the named person's own records: a staff cue does not excuse it."""
_INITIAL_END = re.compile(r"(?:^|[^\w])[^\W\d_]$")
"""A name that ends in an initial ("Maria G"): its full stop and quote are not a sentence's."""
_INITIAL_TAIL = re.compile(r"^\.?[\"'\u2019\u201d)]?")
_SELF = re.compile(r"(?:\bi am|\bi'm|\bmy name is|\bthis is|저는|제 이름은)\s*$")
_TOKEN = re.compile(r"[^\W_][\w'-]*|,")
_POSSESSIVE = re.compile(r"'(?:s|[^\W\d_]{1,3})?$")
"""An apostrophe and what follows it: "Whitaker's", and Turkish case endings ("Schultz'un")."""
_EMAIL = re.compile(r"\S+@\S+")
_HANGUL_NAME = re.compile(r"^[\uac00-\ud7a3]{2,4}$")
_PARTICLES = (
    "님의",
    "씨의",
    "님",
    "씨",
    "의",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에게",
    "한테",
    "고객",
)


def plain_name(text: str) -> str:
    """Lower case, accents dropped (Hangul kept whole), curly apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("\u2019", "'"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _spellings(part: str) -> set[str]:
    base = plain_name(part)
    found = {base, base.replace("-", ""), *NICKNAMES.get(base, ()), *HANGUL.get(base, ())}
    return {f for f in found if f}


def _strip_particle(token: str) -> str:
    for particle in _PARTICLES:
        if len(token) > len(particle) and token.endswith(particle):
            return token[: -len(particle)]
    return token


class NameMatcher:
    """Finds which customers a text names, in any of the ways above."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._pairs: dict[tuple[str, str], str] = {}
        self._single: dict[str, str] = {}
        self._surnames: dict[str, str] = {}
        self._initialled: dict[tuple[str, str], str] = {}
        self._given: dict[str, set[str]] = {}
        japanese: dict[str, str] = {}
        for name, customer_id in names.items():
            latin = re.sub(r"\s*\([^)]*\)", "", name).strip()
            words = latin.split()
            if len(words) >= 2:
                self._add(words[0], words[-1], customer_id)
                given, surname = plain_name(words[0]), plain_name(words[-1])
                for spelling in _spellings(surname):
                    self._surnames[spelling] = customer_id
                for spelling in _spellings(given):
                    self._initialled[(spelling, surname[0])] = customer_id
                self._given[customer_id] = _spellings(given)
                for g in JAPANESE.get(given, ()):
                    for f in JAPANESE.get(surname, ()):
                        for full in (f + g, g + f):
                            japanese[plain_name(full).replace("\u30fb", "")] = customer_id
            for native in re.findall(r"\(([^)]*)\)", name):
                native = native.strip()
                if _HANGUL_NAME.match(native):
                    self._single[native] = customer_id
                    self._add(native[1:], native[0], customer_id)
        self._japanese = japanese

    def _add(self, given: str, surname: str, customer_id: str) -> None:
        for g in _spellings(given):
            for s in _spellings(surname):
                self._pairs[(g, s)] = customer_id
                self._pairs[(s, g)] = customer_id  # "Park Ji-ho", "Whitaker, James"
                if _HANGUL_NAME.match(s + g):
                    self._single[s + g] = customer_id

    def named(self, text: str) -> Iterable[tuple[str, int, int]]:
        """(customer id, start, end) of each name in `text`. A part may span two tokens
        ("Mo Al Sayed", "Ji ho Park"): each token also reads joined to the next one."""
        lowered = _EMAIL.sub(lambda m: " " * len(m.group(0)), plain_name(text))
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(lowered)]
        bare = [_POSSESSIVE.sub("", t) for t, _, _ in tokens]
        words = [{b, _strip_particle(b)} for b in bare]
        joined: list[set[str]] = []
        for i, (token, _, _) in enumerate(tokens):
            after = bare[i + 1] if i + 1 < len(bare) else ","
            mergeable = "," not in (bare[i], after) and not token.endswith("'s")
            joined.append({f"{bare[i]}-{after}", f"{bare[i]}{after}"} if mergeable else set())

        def parts(i: int) -> list[tuple[set[str], int]]:
            """The spellings a name part starting at token `i` can have, with its last token."""
            return [(words[i], i), (joined[i], i + 1)] if joined[i] else [(words[i], i)]

        yield from self._japanese_named(lowered)
        for i in range(len(words)):
            for word in words[i] & self._single.keys():
                yield self._single[word], tokens[i][1], tokens[i][2]
            if i + 1 < len(words):
                # "Mr. Whitaker", "Frau Schultz": a title and a customer's surname
                if bare[i] in TITLES and bare[i + 1] in self._surnames:
                    yield self._surnames[bare[i + 1]], tokens[i][1], tokens[i + 1][2]
                # "Maria G. in Harbor Bay": a given name, the surname's initial and a place
                owner = self._initialled.get((bare[i], bare[i + 1]))
                initial_end = tokens[i + 1][2]
                if owner and _PLACE_AFTER.match(lowered[initial_end : initial_end + 40]):
                    yield owner, tokens[i][1], initial_end
            for first, last in parts(i):
                for j in (last + 1, last + 2):
                    if j >= len(words) or (j == last + 2 and bare[last + 1] != ","):
                        continue
                    for second, end in parts(j):
                        for pair in ((a, b) for a in first for b in second):
                            if pair in self._pairs:
                                yield self._pairs[pair], tokens[i][1], tokens[end][2]

    def given_name(self, text: str, customer_id: str | None) -> Iterable[tuple[int, int]]:
        """(start, end) of each place `text` says `customer_id`'s given name alone ("I'm
        Grace's husband"): on their own account, the holder is who an authorised user or
        a relative names, not another customer."""
        spellings = self._given.get(customer_id or "", set())
        lowered = plain_name(text)
        for match in _TOKEN.finditer(lowered):
            if _POSSESSIVE.sub("", match.group(0)) in spellings:
                yield match.start(), match.end()

    def _japanese_named(self, lowered: str) -> Iterable[tuple[str, int, int]]:
        """Japanese full names inside runs of kana and kanji, whatever is written between
        their parts: a run is compacted once and each name looked for in it."""
        for run in _JAPANESE_RUN.finditer(lowered):
            kept = [
                i for i in range(run.start(), run.end()) if lowered[i] not in _JAPANESE_SEPARATORS
            ]
            compact = "".join(lowered[i] for i in kept)
            for name, owner in self._japanese.items():
                at = compact.find(name)
                if at >= 0:
                    yield owner, kept[at], kept[at + len(name) - 1] + 1

    def other_customers(self, text: str, own_id: str | None) -> set[str]:
        """Customers other than `own_id` that `text` names, leaving out staff and a
        self-introduction in an anonymous chat."""
        lowered = plain_name(text)
        found, introduced_ids = set(), set()
        for owner, start, end in self.named(text):
            if owner == own_id or owner in introduced_ids:
                continue
            window = lowered[max(0, start - 40) : start]
            before = [t for t in _TOKEN.findall(window) if t != ","]
            after = lowered[end : end + 40]
            if _INITIAL_END.search(lowered[max(0, end - 3) : end]):
                after = _INITIAL_TAIL.sub("", after, count=1)  # "Maria G. from your billing team"
            if _STAFF & set(before[-3:]) or _STAFF_AFTER.search(after):
                continue
            context = _STAFF_BEFORE.search(window) or _STAFF_CONTEXT_AFTER.search(after)
            possessive = lowered[:end].endswith(("'s", "'"))  # "Bobby Fischer's number"
            if context and not possessive and not _ASKS_ABOUT_THEM.search(lowered):
                continue
            introduced = _SELF.search(lowered[max(0, start - 20) : start])
            if own_id is None and introduced and not lowered[:end].endswith("'s"):
                introduced_ids.add(owner)  # "I am Ji-ho Park (박지호)": both are the speaker
                continue
            found.add(owner)
        return found
