"""The guardrail's rules for other customers' data: requests naming someone else's account,
a neighbour's bill, everyone's contact details, in English and the other languages customers
write in. Tables only; the checks that use them are in `nodes/guardrail.py`."""

from __future__ import annotations

import re

from state.schema import CUSTOMER_ID as CUSTOMER_ID_PATTERN

_GROUP = r"(?:customers?|subscribers?|users?|clients?|account ?holders?|members?|accounts|people)"
_DATA = (
    r"(?:names?|e-?mails?|e-?mail addresses|(?:home )?address(?:es)?|(?:phone )?numbers?|"
    r"balances?|data|details|info(?:rmation)?|records|usage|tickets?|ticket history|pins?|"
    r"call (?:logs?|records|history)|cards?|passwords?|locations?|texts|messages)"
)
_EXFILTRATION = (
    rf"\b(?:other|another|the\s+other|a\s+different)\s+(?:\w+\s+)?{_GROUP}(?:'s?)?\s+(?:\w+\s+)?{_DATA}\b",
    rf"\b(?:someone|somebody|anyone)\s+else'?s\s+(?:\w+\s+)?{_DATA}\b",
    r"\b(?:dump|export|download|copy|leak|extract|print|send|give|"
    r"show)\b[^.!?\n]{0,30}\b(?:customers?|accounts?|subscribers?|users?|clients?)\s+(?:list|"
    r"database|db|table|records|data|export)\b",
    rf"\bwhich\s+(?:of\s+(?:your|the)\s+)?{_GROUP}\s+(?:from|pay|use|owe|live|have|has|haven'?t|"
    rf"didn'?t|whose)\b|\b(?:what\s+(?:are|were)|give\s+me|list|send)\s+their\s+(?:names|"
    rf"e-?mails|numbers|phone\s+numbers|addresses|balances|details)\b",
    # "block my ex's number", "calls from my ex's number": the customer's own line, guarded
    r"(?<!\bblock\s)(?<!\bblocking\s)(?<!\bblocked\s)(?<!\bbar\s)(?<!\bfrom\s)"
    r"\b(?:my|our)\s+(?:neighbou?rs?|ex|ex-?(?:husband|wife|boyfriend|girlfriend|partner)|"
    r"boss|co-?workers?|colleagues?|tenants?|landlord|roommates?|flatmates?|housemates?|"
    r"friends?|employees?|employer|classmates?)(?:'s|s'|')\s+(?:\w+\s+)?(?:account|bill|"
    r"balance|invoice|number|phone\s+number|plan|usage|calls|call\s+(?:logs?|records|history)|"
    r"texts|messages|location|address|pin|payments?|data|details|info(?:rmation)?|tickets?|"
    r"e-?mail|personal\s+lines)",
    r"\b(?:customer|subscriber|person|woman|man|guy|lady|people|tenant|(?:s?he|they))\s+"
    r"(?:who\s+lives?|living|that\s+lives?|who\s+live|at|in)\s+(?:at\s+)?"
    r"(?:number\s+)?\d+\w?\s+(?:[a-z]+\s+){1,2}(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|"
    r"court|ct|boulevard|blvd|way|place|pl)\b",
    # an adult relative with an account of their own is another customer
    r"\b(?:has|have|with)\s+(?:her|his|their)\s+own\s+(?:nimbus\s+)?(?:account|contract)\b"
    r"(?!\s+(?:on|under|in)\s+(?:my|our)\b)",
    r"(?:고객|가입자|회원|사용자)들\S{0,16}\s*(?:\S{1,16}\s+){0,2}?(?:이름|전화번호|연락처|주소|이메일)\S{0,16}\s*"
    r"(?:\S{1,16}\s+){0,3}?\S{0,16}(?:목록|명단|리스트|뽑아|보내|알려)",
    r"\b(?:who|whose)\b[^.?!\n]{0,30}\b(?:owns|account\s+holder|registered\s+to|"
    r"belongs\s+to)\b[^.?!\n]{0,30}\b(?:number|phone|line|e-?mail)|\b(?:who|whose|owner|"
    r"holder|pin)\b[^.!?\n]{0,40}\b(?:number|line|phone)\s+ending\s+(?:in|with)\b",
    r"(?:다른|모든|전체|타)\s*(?:고객|사용자|가입자|회원)\S{0,16}\s*(?:의\s*)?(?:\S{1,16}\s+){0,3}?\S{0,16}(?:이메일|전화번호|주소|이름|정보|데이터|목록|"
    r"명단|연락처|통화|요금|잔액)|(?:고객|가입자|회원)\s*(?:전체|전원|명단|목록|리스트|데이터베이스)|(?:옆집|이웃|남의|다른\s*사람|전\s*남친|"
    r"전\s*여친|전\s*남편|전\s*아내|상사|동료)\S{0,16}\s*(?:\S{1,16}\s+)?(?:계정|통화|요금|번호|주소|위치|문자)",
    r"\b(?:todos|todas)\s+(?:los|las|os|as|tus|sus|seus|teus)\s+(?:dem[aá]s\s+)?(?:clientes|"
    r"usuarios|usu[aá]rios|abonados)\b|\blista\s+(?:completa\s+)?(?:de|des|dos)\s+(?:todos\s+"
    r"(?:los|os)\s+)?(?:clientes|abonados|usuarios|usu[aá]rios|suscriptores|assinantes)\b|"
    r"\b(?:cuenta|factura|saldo|n[uú]mero|datos)\s+de\s+mi\s+(?:vecin[oa]|ex|jefe|"
    r"compa[nñ]er[oa])\b|\btutti\s+i\s+clienti\b",
    r"\b(?:liste|donn[ée]es|adresses|e-?mails|num[ée]ros|t[ée]l[ée]phones|soldes?)\s+(?:de|"
    r"des)\s+(?:tous\s+les\s+|autres\s+)?clients\b|\btous\s+(?:les|vos|tes)\s+(?:clients|"
    r"abonn[ée]s|utilisateurs)\b|\b(?:compte|facture|solde|num[ée]ro|"
    r"donn[ée]es)\s+de\s+(?:mon|ma)\s+(?:voisine?|ex|patron|coll[eè]gue|colocataire)\b|"
    r"\b(?:meines|meiner)\s+(?:nachbarn?|nachbarin|ex|chefs?|kollegen|kollegin|"
    r"mitbewohner\w*)\b|\b(?:aller|allen|alle)\s+kunden\b|\balle\s+klanten\b|他の顧客|(?:すべて|"
    r"全て)の顧客|所有客户|其他客户",
    # someone's bookkeeper asking for "their" bills: a business is another customer unless the
    # account is the signed-in one's ("the bookkeeper for my own shop ... my invoice")
    r"\b(?:bookkeeper|accountant|office\s+manager|payroll\s+clerk|do\s+the\s+"
    r"(?:books|accounts|accounting)|handle\s+the\s+(?:books|accounts|billing)|in\s+charge\s+of\s+"
    r"(?:the\s+)?(?:books|accounts|billing))\s+(?:for|at|of|with)\s+(?!my\b|our\b|me\b|us\b)"
    r"[^.!?\n]{0,40}?[.,;:!?]?\s*[^.!?\n]{0,40}?\b(?:their|his|her|its)\s+(?:\w+\s+)?(?:invoices?|"
    r"bills?|plans?|balances?|tickets?|usage|payments?|statements?|account\s+(?:details|number)|"
    r"charges|totals?)\b",
)
_MANY = (
    rf"\b(?:list|show|give|send|export|dump|tell|read|share|pull|print|download|provide|"
    rf"forward|display|compile|get|reveal)\b(?:(?!\b(?:if|whether|why|"
    rf"how)\b)[^.!?\n]){{0,40}}?\b(?:(?:all|every|each|other|"
    rf"the\s+other)\s+(?:\w+\s+)?{_GROUP}|everyone|everybody)\b",
    rf"\b(?:{_DATA[3:-1]}|contact\s+details)\s+(?:of|for)\s+(?:everyone|everybody|"
    rf"all\s+(?:\w+\s+)?{_GROUP}|every\s+(?:\w+\s+)?{_GROUP})",
)
OTHER_CUSTOMERS = tuple(re.compile(p, re.I) for p in _EXFILTRATION)
MANY_CUSTOMERS = tuple(re.compile(p, re.I) for p in _MANY)
"""Requests for everyone's data; `OWN_GROUP` wording makes them the customer's own lines."""
OWN_GROUP = re.compile(
    r"\b(?:my|our)\s+(?:own\s+)?(?:family|shared|group|household|business)\s+(?:plan|account|"
    r"lines?)\b(?![^.!?\n]*\b(?:customers|subscribers|clients|account\s?holders)\b)"
    r"|\b(?:on|in|under)\s+(?:my|our)\s+(?:own\s+)?(?:account|plan|contract|bill)\b"
    r"(?![^.!?\n]*\b(?:customers|subscribers|clients|account\s?holders)\b)"
    r"|(?:가족|우리\s*집|결합)\s*(?:요금제|회선|결합)",
    re.I,
)
CUSTOMER_ID = re.compile(rf"\b{CUSTOMER_ID_PATTERN}\b", re.IGNORECASE)
CUSTOMER_NUMBER = re.compile(
    r"(?:\b(?:customer|account|client|subscriber|cliente|kunde|kunden|konto|cuenta|compte|"
    r"conta|abonn[ée]|abonado|assinante)\w*\s+(?:(?:number|no\.?|num|n[°º.]|#|id|n[úu]mero|"
    r"num[ée]ro|nummer|nr\.?)\s*:?\s*#?\s*)?(?:c\s*-?\s*)?"
    r"|(?:顧客|客户|客戶|会員|用户|고객|회원)\s*(?:番号|编号|編號|号码|號碼|번호|ID)?\s*:?\s*"
    r"(?:c\s*-?\s*)?|(?<![a-z0-9])c\s?-?\s?)(\d{4})(?!\d)",
    re.IGNORECASE,
)
"""A customer id written without its "C-" or glued to other words ("customer number 1008",
"Kundennummer 1004", "C1003", "顧客番号1009"): the digits of an id, which count only when they
are a customer's in the directory."""
