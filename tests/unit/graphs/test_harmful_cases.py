"""Turns that once did harm, not just wrong: a plan change read as a cancellation, a refund
proposed with no amount, a handoff that left the customer in silence."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph

from api.turns import TurnResult, send_message
from graphs.deps import SupportDeps
from graphs.support import build_support_graph
from nodes.llm.offline import OfflineChatModel
from nodes.llm.replies import choose_refund
from state.settings import Settings
from state.stores.customers import Customer, CustomerDirectory, LineItem
from state.stores.help_center import load_help_center

Graph = CompiledStateGraph[Any, Any, Any, Any]
HANGUL = re.compile("[\uac00-\ud7a3]")
SENSITIVE = {"request_refund", "change_plan", "cancel_service", "swap_sim"}


def proposed_action(turn: TurnResult) -> str | None:
    for pending in turn.interrupts:
        action = pending["value"].get("action")
        if action:
            return str(action)
    return None


def with_invoice_lines(
    customers: CustomerDirectory, customer_id: str, lines: list[tuple[str, float]]
) -> CustomerDirectory:
    """The directory with `customer_id`'s newest invoice replaced by these lines."""
    everyone = [customers.get(c) for c in sorted(customers.ids())]
    changed: list[Customer] = []
    for customer in everyone:
        assert customer is not None
        if customer.customer_id == customer_id:
            newest = max(customer.invoices, key=lambda i: i.date)
            items = [LineItem(description=d, amount=a) for d, a in lines]
            invoice = newest.model_copy(
                update={"line_items": items, "amount": round(sum(a for _, a in lines), 2)}
            )
            others = [i for i in customer.invoices if i.invoice_id != newest.invoice_id]
            customer = customer.model_copy(update={"invoices": [*others, invoice]})
        changed.append(customer)
    return CustomerDirectory(changed, customers.network)


def graph_with(deps: SupportDeps, customers: CustomerDirectory) -> Graph:
    return build_support_graph(
        dataclasses.replace(deps, customers=customers), checkpointer=InMemorySaver()
    )


async def test_korean_plan_change_never_becomes_a_cancellation(
    support_graph: Graph, thread_id: str
) -> None:
    turn = await send_message(support_graph, thread_id, "요금제를 변경하고 싶어요", "C-1001")

    assert proposed_action(turn) != "cancel_service"
    if not turn.interrupted:  # no plan named: one question back, in Korean
        assert turn.answer and HANGUL.search(turn.answer)


@pytest.mark.parametrize(
    "text",
    ["요금제바꾸고싶어요", "요금제 좀 바꿔줘", "무제한으로 바꿔주세요", "플랜 변경 가능한가요"],
)
async def test_korean_plan_change_in_other_words_is_never_a_cancellation(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    turn = await send_message(support_graph, thread_id, text, "C-1001")

    assert proposed_action(turn) not in {"cancel_service", "request_refund", "swap_sim"}


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("플러스 요금제에서 라이트로 변경해주세여", "change_plan"),
        ("무제한으로 올려주삼 데이터가 모자라여", "change_plan"),
        ("요금제 라이트로 바꿔주셈", "change_plan"),
        ("요금제 언리미티드로 ㄱㄱ", "change_plan"),
        ("두번째 회선 해지해줘여 안 쓰거든요", "cancel_service"),
        ("인터넷 해지 부탁해여", "cancel_service"),
        ("집 인터넷 해지 ㄱㄱ", "cancel_service"),
    ],
)
async def test_a_korean_request_in_a_casual_ending_is_proposed_for_approval(
    support_graph: Graph, thread_id: str, text: str, action: str
) -> None:
    """A texting ending ("바꿔주세여") asks as "바꿔 주세요" does: the action waits for approval."""
    turn = await send_message(support_graph, thread_id, text, "C-1001")

    assert turn.interrupted
    assert proposed_action(turn) == action


@pytest.mark.parametrize(
    "question",
    [
        "제 계정에 등록된 이메일 주소가 뭐예요?",
        "내이메일주소뭐로돼있어",
        "이메일 주소 바꾸고 싶은데 어떻게 해요",
        "청구서를 이메일로 받을 수 있나요?",
    ],
)
async def test_korean_question_about_the_email_on_file_proposes_no_action(
    support_graph: Graph, thread_id: str, question: str
) -> None:
    turn = await send_message(support_graph, thread_id, question, "C-1001")

    assert not turn.interrupted
    assert proposed_action(turn) is None
    assert turn.status != "awaiting_approval"


@pytest.mark.parametrize(
    ("label", "confidence", "text"),
    [
        ("cancel_service", 0.95, "요금제를 변경하고 싶어요"),  # a plan change, read as a cancel
        ("cancel_service", 0.95, "I'd like to change my plan"),
        ("change_plan", 0.10, "hmm my plan thing"),  # an unsure reading
        ("refund", 0.20, "about my bill"),
        ("change_plan", 0.95, "누가 제 요금제를 라이트로 바꿔 놨어요"),  # a report, not a request
        ("cancel_service", 0.95, "해지 신청한 지 두 달 됐는데 아직도 돈이 빠져나가요"),
        ("swap_sim", 0.95, "다음 달에 이사하는데 새 집으로 인터넷 옮겨 주세요"),  # no SIM named
        ("swap_sim", 0.95, "please move my internet to the new house"),
    ],
)
def test_an_unsure_or_unsupported_reading_asks_instead_of_acting(
    label: str, confidence: float, text: str
) -> None:
    language = "ko" if HANGUL.search(text) else "en"
    assert OfflineChatModel._doubt(label, confidence, text, language) is not None


def test_a_confident_cancellation_in_the_customers_words_is_proposed() -> None:
    assert OfflineChatModel._doubt("cancel_service", 0.9, "please cancel my internet", "en") is None
    assert OfflineChatModel._doubt("cancel_service", 0.9, "인터넷 해지해 주세요", "ko") is None


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("change_plan", "라이트로 바꿀게요"),
        ("change_plan", "요금제 좀 무제한으로 바꿔줄래요?"),
        ("change_plan", "Nimbus Lite로 변경 가능할까요?"),
        ("swap_sim", "유심 분실해서 새 유심으로 교체해주세요"),
        ("swap_sim", "move my number to my new iPhone 16"),
        ("cancel_service", "인터넷 해지하고 싶어요"),
    ],
)
def test_a_confident_request_in_any_register_is_proposed(label: str, text: str) -> None:
    language = "ko" if HANGUL.search(text) else "en"
    assert OfflineChatModel._doubt(label, 0.9, text, language) is None


@pytest.mark.parametrize(
    "question",
    [
        "we're moving to a new flat next month, do we have to cancel and start a new contract?",
        "if I go overseas for six months will I need to cancel my mobile line?",
        "can I take my internet with me without cancelling it?",
        "이사하면 인터넷은 해지하고 새로 가입해야 하나요?",
        "해외 나가 있는 동안 휴대폰 해지해야 돼요?",
    ],
)
async def test_a_what_if_about_cancelling_proposes_no_action_and_reads_the_plan(
    support_graph: Graph, thread_id: str, question: str
) -> None:
    turn = await send_message(support_graph, thread_id, question, "C-1001")

    assert proposed_action(turn) is None and not turn.interrupted
    assert turn.status != "awaiting_approval"


@pytest.mark.parametrize(
    "text",
    ["Can you put me on Unlimited instead of Plus?", "플러스 말고 언리미티드로 바꿔 주세요"],
)
async def test_a_plan_change_proposes_the_plan_wanted_not_the_one_left(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    turn = await send_message(support_graph, thread_id, text, "C-1001")  # C-1001 is on Plus

    assert turn.interrupted and proposed_action(turn) == "change_plan"
    [pending] = turn.interrupts
    assert pending["value"]["arguments"]["new_plan"] == "Nimbus Unlimited"


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("cancel_service", "will I need to cancel when I move?"),
        ("change_plan", "what happens if I switch to Lite mid-cycle?"),
        ("cancel_service", "해지해야 하나요?"),
    ],
)
def test_a_what_if_asks_instead_of_acting_when_nothing_can_be_read(label: str, text: str) -> None:
    language = "ko" if HANGUL.search(text) else "en"
    assert OfflineChatModel._doubt(label, 0.95, text, language) is not None


@pytest.mark.parametrize(
    "report",
    [
        "모르는 사람이 제 계정으로 들어가서 요금제를 라이트로 바꿔 놨어요",
        "해지했는데 아직도 요금이 계속 빠져나가요",
        "다음 주 토요일에 이사 가는데 새 집으로 인터넷 옮겨 주세요",
    ],
)
async def test_a_korean_report_of_what_was_done_proposes_no_sensitive_action(
    support_graph: Graph, thread_id: str, report: str
) -> None:
    turn = await send_message(support_graph, thread_id, report, "C-1001")

    assert proposed_action(turn) is None
    assert turn.status != "awaiting_approval"


async def test_a_double_charge_refund_takes_its_amount_from_the_duplicated_line(
    deps: SupportDeps, customers: CustomerDirectory, thread_id: str
) -> None:
    doubled = with_invoice_lines(
        customers, "C-1006", [("Fiber 300", 45.0), ("Fiber 300", 45.0), ("Taxes and fees", 3.1)]
    )
    graph = graph_with(deps, doubled)

    turn = await send_message(
        graph, thread_id, "Please refund my last invoice, I was charged twice", "C-1006"
    )

    assert turn.interrupted and turn.status == "awaiting_approval"
    [pending] = turn.interrupts
    assert pending["value"]["action"] == "request_refund"
    arguments = pending["value"]["arguments"]
    assert arguments["amount"] == 45.0
    assert arguments["invoice_id"] == "INV-1006-250608"
    assert arguments["line_item"] == "Fiber 300"


async def test_a_double_charge_with_several_duplicated_lines_asks_which(
    deps: SupportDeps, customers: CustomerDirectory, thread_id: str
) -> None:
    lines = [
        ("Fiber 300", 45.0),
        ("Fiber 300", 45.0),
        ("Router rental", 5.0),
        ("Router rental", 5.0),
    ]
    graph = graph_with(deps, with_invoice_lines(customers, "C-1006", lines))

    turn = await send_message(
        graph, thread_id, "Please refund my last invoice, I was charged twice", "C-1006"
    )

    assert not turn.interrupted
    assert turn.answer and "Fiber 300" in turn.answer and "Router rental" in turn.answer
    assert "?" in turn.answer


@pytest.mark.parametrize(
    ("text", "ticket_word"),
    [
        ("Please refund my last invoice, I was charged twice", "ticket"),
        ("지난 청구서가 두 번 청구됐어요 환불해 주세요", "티켓"),
    ],
)
async def test_a_double_charge_no_invoice_shows_quotes_the_invoice_and_offers_a_ticket(
    support_graph: Graph, thread_id: str, text: str, ticket_word: str
) -> None:
    # C-1006's newest invoice is unpaid and has no line twice: nothing to refund on a guess
    turn = await send_message(support_graph, thread_id, text, "C-1006")

    assert not turn.interrupted and proposed_action(turn) is None
    answer = turn.answer or ""
    assert "INV-1006-250608" in answer and "Fiber 300" in answer
    assert ticket_word in answer


def test_a_refund_with_no_duplicated_line_asks_instead_of_guessing() -> None:
    invoices = (
        "Invoice INV-1-2 dated 2025-06-08: total $48.10, unpaid. Charges: Fiber 300 $45.00; "
        "Taxes and fees $3.10."
    )
    choice = choose_refund("I was charged twice, refund it", invoices, "en")

    assert choice.charge is None
    assert choice.question and "Fiber 300 $45.00" in choice.question
    assert "ticket" in choice.question


def test_a_paid_invoice_charged_twice_is_refunded_its_total() -> None:
    invoices = (
        "Invoice INV-1-3 dated 2025-06-08: total $118.40, paid. Charges: Nimbus Plus $55.00; "
        "Fiber 1 Gig $60.00; Taxes and fees $3.40.\n"
        "Invoice INV-1-2 dated 2025-05-08: total $118.40, paid. Charges: Nimbus Plus $55.00; "
        "Fiber 1 Gig $60.00; Taxes and fees $3.40."
    )
    choice = choose_refund("Please refund my last invoice, I was charged twice", invoices, "en")

    assert choice.question is None and choice.charge is not None
    assert (choice.charge.invoice_id, choice.charge.amount) == ("INV-1-3", 118.40)


async def test_a_korean_double_payment_proposes_the_invoice_total_not_a_null_amount(
    support_graph: Graph, thread_id: str
) -> None:
    turn = await send_message(
        support_graph, thread_id, "이번 달 요금이 두 번 결제됐어요 환불해 주세요", "C-1001"
    )

    assert turn.interrupted and proposed_action(turn) == "request_refund"
    [pending] = turn.interrupts
    assert pending["value"]["arguments"]["amount"] == 118.40
    assert pending["value"]["arguments"]["invoice_id"] == "INV-1001-250522"


async def test_slow_internet_combines_region_status_troubleshooting_and_a_ticket_offer(
    support_graph: Graph, settings: Settings, thread_id: str
) -> None:
    turn = await send_message(
        support_graph, thread_id, "Why is my internet so slow today?", "C-1006"
    )

    assert turn.status == "resolved" and turn.route == "technical"
    answer = turn.answer or ""
    assert "Lakeshore" in answer and "outage" in answer
    answers = {e.answer for e in load_help_center(settings.data_dir / "help_center.yaml")}
    assert any(a in answer for a in answers), "no help-center troubleshooting in the reply"
    assert "ticket" in answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I need a real person", "connecting you with a person"),
        ("are there any humans working there?", "connecting you with a person"),
        ("상담원 연결해 주세요", "상담원"),
        ("상담원연결해줘", "상담원"),
    ],
)
async def test_a_handoff_to_a_human_tells_the_customer(
    support_graph: Graph, thread_id: str, text: str, expected: str
) -> None:
    turn = await send_message(support_graph, thread_id, text, "C-1001")

    assert turn.status == "handed_to_human" and turn.interrupted
    assert turn.answer and expected in turn.answer


async def test_the_offline_specialist_reads_invoices_before_proposing_a_refund(
    deps: SupportDeps,
) -> None:
    model = await deps.models.offline_for("billing")
    tools = [
        {"type": "function", "function": {"name": n, "parameters": {}}}
        for n in ("get_invoices", "request_refund")
    ]
    bound = model.bind(tools=tools)
    first = await bound.ainvoke([HumanMessage("I was double billed, refund the extra charge")])
    assert isinstance(first, AIMessage)
    [call] = first.tool_calls
    assert call["name"] == "get_invoices"
    result = ToolMessage(
        content="Invoice INV-9 dated 2025-06-08: total $20.00, unpaid. Charges: Data pass "
        "$10.00; Data pass $10.00.",
        tool_call_id=str(call["id"]),
        name="get_invoices",
    )
    second = await bound.ainvoke(
        [HumanMessage("I was double billed, refund the extra charge"), first, result]
    )
    assert isinstance(second, AIMessage)
    [refund] = second.tool_calls
    assert refund["name"] == "request_refund" and refund["args"]["amount"] == 10.0
    assert not SENSITIVE & {c["name"] for c in first.tool_calls}
