"""Whole turns through the compiled support graph (offline models, in-memory checkpoints)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from api.turns import (
    NothingPending,
    TurnResult,
    read_turn,
    resume_turn,
    send_message,
    thread_config,
)
from graphs.retry import TRANSIENT_RETRY
from nodes.grounding import is_grounded
from state.settings import Settings
from state.stores.help_center import load_help_center
from state.stores.records import CommittedAction, RecordStore, Ticket

Graph = CompiledStateGraph[Any, Any, Any, Any]

LATE_FEE_REFUND = "Please refund the $10 late fee on my June invoice"
LATE_FEE_INVOICE = "INV-1006-250608"


def assert_valid_history(messages: Sequence[BaseMessage]) -> None:
    """Every tool call answered by a ToolMessage with its id, before anything else is said;
    one call at a time; no message twice."""
    ids = [m.id for m in messages]
    assert len(ids) == len(set(ids)), "a message appears twice"
    open_calls: set[str] = set()
    for message in messages:
        if isinstance(message, ToolMessage):
            assert message.tool_call_id in open_calls, (
                f"ToolMessage {message.tool_call_id} answers no open call"
            )
            open_calls.remove(message.tool_call_id)
            continue
        assert not open_calls, f"unanswered tool calls {open_calls} before {message!r}"
        if isinstance(message, AIMessage):
            assert len(message.tool_calls) <= 1, "parallel tool calls next to handoffs"
            open_calls = {str(call["id"]) for call in message.tool_calls}
    assert not open_calls, f"unanswered tool calls {open_calls}"


async def messages_of(graph: Graph, thread_id: str) -> list[BaseMessage]:
    state = await graph.aget_state(thread_config(thread_id))
    messages: list[BaseMessage] = state.values["messages"]
    return messages


async def actions_of(records: RecordStore, thread_id: str) -> list[CommittedAction]:
    return [a for a in await records.list_actions() if a.thread_id == thread_id]


async def tickets_of(records: RecordStore, thread_id: str) -> list[Ticket]:
    return [t for t in await records.list_tickets() if t.thread_id == thread_id]


async def request_late_fee_refund(graph: Graph, thread_id: str) -> TurnResult:
    paused = await send_message(graph, thread_id, LATE_FEE_REFUND, "C-1006")
    assert paused.interrupted
    assert paused.status == "awaiting_approval"
    return paused


def approval_payload(turn: TurnResult) -> dict[str, Any]:
    [pending] = turn.interrupts
    value: dict[str, Any] = pending["value"]
    assert value["kind"] == "approval"
    return value


async def test_refund_waits_for_approval_then_runs_once(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    paused = await request_late_fee_refund(support_graph, thread_id)

    assert paused.route == "billing"
    request = approval_payload(paused)
    assert request["action"] == "request_refund"
    assert request["customer_id"] == "C-1006"
    assert request["arguments"]["amount"] == 10
    assert request["arguments"]["invoice_id"] == LATE_FEE_INVOICE
    assert request["error"] is None
    assert await actions_of(records, thread_id) == []
    assert (await read_turn(support_graph, thread_id)).interrupts == paused.interrupts

    done = await resume_turn(support_graph, thread_id, {"decision": "approve"})

    assert done.status == "resolved"
    assert not done.interrupted
    [action] = await actions_of(records, thread_id)
    assert action.action == "request_refund"
    assert action.customer_id == "C-1006"
    assert action.arguments["amount"] == 10
    assert action.arguments["invoice_id"] == LATE_FEE_INVOICE
    assert done.answer is not None
    assert action.action_id in done.answer
    assert_valid_history(await messages_of(support_graph, thread_id))

    # Nothing is pending any more: a second approval is refused and commits nothing.
    with pytest.raises(NothingPending, match="not waiting for an operator"):
        await resume_turn(support_graph, thread_id, {"decision": "approve"})
    assert await actions_of(records, thread_id) == [action]


async def test_an_approval_retried_after_a_crash_commits_the_refund_once(
    support_graph: Graph,
    records: RecordStore,
    thread_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The write lands, then the process loses its connection before the checkpoint moves on,
    # on every attempt the node's retry policy makes: each retry, and the resume after them,
    # runs the tool again from its first line, and must not refund twice.
    await request_late_fee_refund(support_graph, thread_id)
    commit = records.commit_action_once
    crashes = [ConnectionError("connection lost after the write")] * TRANSIENT_RETRY.max_attempts

    async def commit_then_crash(action: CommittedAction) -> tuple[CommittedAction, bool]:
        result = await commit(action)
        if crashes:
            raise crashes.pop()
        return result

    monkeypatch.setattr(records, "commit_action_once", commit_then_crash)
    with pytest.raises(ConnectionError):
        await resume_turn(support_graph, thread_id, {"decision": "approve"})

    assert (await read_turn(support_graph, thread_id)).interrupted
    [written] = await actions_of(records, thread_id)

    done = await resume_turn(support_graph, thread_id, {"decision": "approve"})

    assert done.status == "resolved"
    assert await actions_of(records, thread_id) == [written]
    assert done.answer is not None
    assert written.action_id in done.answer
    assert_valid_history(await messages_of(support_graph, thread_id))


async def test_rejected_refund_is_reported_as_refusal_not_success(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    await request_late_fee_refund(support_graph, thread_id)
    reason = "the late fee was charged correctly"

    done = await resume_turn(support_graph, thread_id, {"decision": "reject", "reason": reason})

    assert not done.interrupted
    messages = await messages_of(support_graph, thread_id)
    tool_result = [m for m in messages if isinstance(m, ToolMessage)][-1]
    assert tool_result.name == "request_refund"
    assert tool_result.status == "error"
    assert reason in tool_result.text
    assert done.answer is not None
    assert reason in done.answer
    assert "approved" not in done.answer
    assert "reference ACT-" not in done.answer
    assert await actions_of(records, thread_id) == []
    assert_valid_history(messages)


async def test_invalid_resume_keeps_approval_pending(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    paused = await request_late_fee_refund(support_graph, thread_id)

    # Straight into the graph, past resume_turn's own validation.
    await support_graph.ainvoke(Command(resume={"decision": "maybe"}), thread_config(thread_id))

    still = await read_turn(support_graph, thread_id)
    assert still.interrupted
    assert still.status == "awaiting_approval"
    request = approval_payload(still)
    assert "'maybe'" in request["error"]
    assert '"decision": "approve"' in request["error"]
    assert request["arguments"] == approval_payload(paused)["arguments"]
    assert await actions_of(records, thread_id) == []

    done = await resume_turn(support_graph, thread_id, {"decision": "approve"})

    assert done.status == "resolved"
    assert len(await actions_of(records, thread_id)) == 1


async def test_edit_changes_arguments_and_is_verified(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    await request_late_fee_refund(support_graph, thread_id)

    too_much = await resume_turn(
        support_graph, thread_id, {"decision": "edit", "arguments": {"amount": 500}}
    )

    assert too_much.interrupted
    assert too_much.status == "awaiting_approval"
    error = approval_payload(too_much)["error"]
    assert error.startswith("edit refused")
    assert "$500.00 is more than the $10.00" in error
    assert await actions_of(records, thread_id) == []

    done = await resume_turn(
        support_graph, thread_id, {"decision": "edit", "arguments": {"amount": 5}}
    )

    assert done.status == "resolved"
    [action] = await actions_of(records, thread_id)
    assert action.arguments["amount"] == 5
    assert action.arguments["invoice_id"] == LATE_FEE_INVOICE
    assert done.answer is not None
    assert "$5.00" in done.answer


async def test_edit_with_an_amount_that_is_not_a_number_is_refused_and_stays_pending(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    await request_late_fee_refund(support_graph, thread_id)

    refused = await resume_turn(
        support_graph, thread_id, {"decision": "edit", "arguments": {"amount": "ten dollars"}}
    )

    assert refused.interrupted
    assert "amount must be a number" in approval_payload(refused)["error"]
    assert await actions_of(records, thread_id) == []


async def test_human_request_waits_for_operator_reply(support_graph: Graph, thread_id: str) -> None:
    waiting = await send_message(support_graph, thread_id, "I need a real person", "C-1001")

    assert waiting.status == "handed_to_human"
    assert waiting.route == "human"
    assert waiting.interrupted
    [pending] = waiting.interrupts
    assert pending["value"]["kind"] == "handoff"
    assert pending["value"]["last_message"] == "I need a real person"

    approved = await resume_turn(support_graph, thread_id, {"decision": "approve"})

    assert approved.interrupted
    assert "'approve' does not answer" in approved.interrupts[0]["value"]["error"]

    operator = "Hi, this is Sam from Nimbus. I'm looking at your account now."
    replied = await resume_turn(
        support_graph, thread_id, {"decision": "reply", "message": operator}
    )

    assert not replied.interrupted
    assert replied.status == "handed_to_human"
    assert replied.answer == operator
    messages = await messages_of(support_graph, thread_id)
    last_ai = [m for m in messages if isinstance(m, AIMessage)][-1]
    assert last_ai.name == "operator"
    assert last_ai.text == operator
    assert_valid_history(messages)


async def test_ticket_is_created_once_per_turn(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    text = "My fiber box keeps rebooting every hour and restarting it has not helped"

    first = await send_message(support_graph, thread_id, text, "C-1001")

    assert first.status == "ticket_created"
    assert first.ticket_id is not None
    assert first.ticket_id.startswith("TKT-")
    assert first.ticket_id in (first.answer or "")
    [ticket] = await tickets_of(records, thread_id)
    assert ticket.ticket_id == first.ticket_id
    assert ticket.customer_id == "C-1001"
    assert ticket.category == first.category
    assert_valid_history(await messages_of(support_graph, thread_id))

    # Re-run the turn from the checkpoint before triage, as a resumed or retried run would.
    history = [s async for s in support_graph.aget_state_history(thread_config(thread_id))]
    before_triage = next(s for s in history if s.next == ("triage",))
    replayed = await support_graph.ainvoke(None, before_triage.config)

    assert replayed["ticket_id"] == first.ticket_id
    assert await tickets_of(records, thread_id) == [ticket]


async def test_each_turn_of_a_thread_gets_its_own_ticket(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    text = "The fiber light on my modem is blinking red and nothing connects"

    first = await send_message(support_graph, thread_id, text, "C-1001")
    second = await send_message(support_graph, thread_id, text, "C-1001")

    assert first.status == second.status == "ticket_created"
    assert first.ticket_id != second.ticket_id
    assert len(await tickets_of(records, thread_id)) == 2


async def test_faq_answer_is_grounded_and_records_faq_id(
    support_graph: Graph, settings: Settings, records: RecordStore, thread_id: str
) -> None:
    result = await send_message(
        support_graph, thread_id, "Can I pay my phone bill with PayPal or Apple Pay?", "C-1001"
    )

    assert result.status == "faq_answered"
    assert result.route == "faq"
    assert result.faq_id == "faq-001"
    assert not result.interrupted
    entries = {e.id: e for e in load_help_center(settings.data_dir / "help_center.yaml")}
    assert result.answer is not None
    assert is_grounded(result.answer, entries["faq-001"])
    assert "PayPal" in result.answer
    assert await tickets_of(records, thread_id) == []
    assert_valid_history(await messages_of(support_graph, thread_id))


@pytest.mark.parametrize(
    ("text", "faq_id"),
    [
        ("used up all my gigs already n its only the 12th, can i buy a bit more", "faq-018"),
        ("storm knocked out the internet for 2 days, do we get anything back on the bill for that",
         "faq-031"),
        ("what info do u keep on me and can i make u stop using it for ads", "faq-043"),
        ("why r there 2 weird partial amounts on my bill since i went up to plus mid month",
         "faq-005"),
        pytest.param(
            "rent was due same week as the phone bill, can i get a few extra days",
            "faq-007",
            # The FAQ classifier's `no_entry` reads this story-shaped question as a report
            # (0.22 against the entry's 0.13), so it gets a ticket: safe, but not the answer.
            marks=pytest.mark.xfail(strict=True, reason="read as a report needing a ticket"),
        ),
    ],
)  # fmt: skip
async def test_a_casual_help_center_question_gets_its_entry(
    support_graph: Graph, thread_id: str, text: str, faq_id: str
) -> None:
    """Texting registers, typos and no punctuation: written for this test, not trained on."""
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert (result.status, result.faq_id) == ("faq_answered", faq_id)


@pytest.mark.parametrize(
    ("text", "faq_id"),
    [
        ("We relocate to a bigger flat in the autumn. Does our home internet move with us, or "
         "must we close the account and order fiber again there?", "faq-032"),
        ("a dozen fake 'your parcel is held' text messages every week, how do i deal with them",
         "faq-023"),
    ],
)  # fmt: skip
async def test_a_household_or_scam_text_question_gets_its_entry(
    support_graph: Graph, thread_id: str, text: str, faq_id: str
) -> None:
    """Saying "we/our" about how a service works still asks the help center; the spam entry
    covers texts as well as calls."""
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert (result.status, result.faq_id) == ("faq_answered", faq_id)


@pytest.mark.parametrize(
    "text",
    [
        "the trade-in credit should be $15 a month but every statement shows $9. something's off",
        "your installer put the fiber box on the wrong wall and left, what will you do about it?",
    ],
)
async def test_a_dispute_gets_a_ticket_not_the_entry_it_resembles(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert result.status == "ticket_created"


@pytest.mark.parametrize(
    "text",
    [
        "i did the voicemail setup 3 times and it still says mailbox not set up, pls fix",
        "paid my bill last week and it still shows as overdue with a late fee, sort it out",
    ],
)
async def test_a_casual_problem_report_beside_an_entry_gets_a_ticket_not_an_answer(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert result.status == "ticket_created"
    assert result.faq_id is None


async def test_failure_report_goes_to_triage_not_faq(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    # WiFi Calling has a help-center entry on turning it on; this customer did, and it fails.
    text = "WiFi calling is switched on in my settings but calls still fail whenever I'm at home"

    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert result.status == "ticket_created"
    assert result.faq_id is None
    assert result.category == "technical"
    [ticket] = await tickets_of(records, thread_id)
    assert ticket.ticket_id == result.ticket_id
    messages = await messages_of(support_graph, thread_id)
    assert not [m for m in messages if isinstance(m, AIMessage) and m.name == "faq"]
    assert_valid_history(messages)


async def test_specialist_handoff_to_colleague(support_graph: Graph, thread_id: str) -> None:
    # The router sends a plan question to billing (forced here, whatever the model would do);
    # billing has no plan tool and hands the customer to account, which answers.
    config = thread_config(thread_id)
    misrouted = AIMessage(
        "",
        tool_calls=[
            {"name": "transfer_to_billing", "args": {"reason": "misrouted"}, "id": "call_route"}
        ],
    )
    await support_graph.aupdate_state(
        config,
        {
            "messages": [HumanMessage("Which mobile plan am I on right now?"), misrouted],
            "customer_id": "C-1001",
        },
        as_node="router",
    )

    await support_graph.ainvoke(None, config)

    result = await read_turn(support_graph, thread_id)
    assert result.route == "account"
    assert result.status == "resolved"
    assert result.answer is not None
    assert "Nimbus Plus" in result.answer
    state = await support_graph.aget_state(config)
    assert state.values["handoffs"] == 2
    messages: list[BaseMessage] = state.values["messages"]
    called = [c["name"] for m in messages if isinstance(m, AIMessage) for c in m.tool_calls]
    assert called == ["transfer_to_billing", "transfer_to_account", "get_plan"]
    assert_valid_history(messages)


async def test_a_read_only_question_is_answered_by_the_right_specialist(
    support_graph: Graph, thread_id: str
) -> None:
    result = await send_message(
        support_graph, thread_id, "Is the network down in my area right now?", "C-1023"
    )

    assert result.route == "technical"
    assert result.status == "resolved"
    assert result.answer is not None
    assert "Lakeshore" in result.answer
    assert "outage" in result.answer
    assert_valid_history(await messages_of(support_graph, thread_id))


async def test_a_second_turn_starts_clean_and_keeps_the_history_valid(
    support_graph: Graph, records: RecordStore, thread_id: str
) -> None:
    await request_late_fee_refund(support_graph, thread_id)
    await resume_turn(support_graph, thread_id, {"decision": "approve"})

    second = await send_message(
        support_graph, thread_id, "Can I pay my phone bill with PayPal or Apple Pay?", "C-1006"
    )

    assert second.status == "faq_answered"
    assert second.ticket_id is None
    assert len(await actions_of(records, thread_id)) == 1
    state = await support_graph.aget_state(thread_config(thread_id))
    assert state.values["handoffs"] == 1
    assert_valid_history(state.values["messages"])


@pytest.mark.parametrize(
    "text",
    [
        "my last bill came to $97.12 but I usually pay $80, what is the additional charge",
        "5월 청구서가 84,300원이 나왔는데 보통 7만원이었어요 뭐가 더 붙은 거예요?",
    ],
)
async def test_a_bill_question_with_the_customers_own_figures_goes_to_billing(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    """The billing specialist reads the invoice; the help center knows no one's amounts."""
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert (result.status, result.route) == ("resolved", "billing")


@pytest.mark.parametrize(
    "text",
    [
        "the bundle discount ought to be $8 per month, yet my invoices only knock off $5",
        "I handed the old router back at your store and still got the equipment fee, "
        "I have the receipt right here",
        "가족 결합 할인이 매달 8달러여야 하는데 청구서에는 5달러만 할인돼 있어요",
        "공유기를 매장에 반납했는데도 미반납 요금이 붙었어요 반납 영수증 있어요",
    ],
)
async def test_a_dispute_with_figures_or_evidence_gets_a_billing_ticket(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert (result.status, result.category) == ("ticket_created", "billing")
    assert result.faq_id is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("on my iPhone the wifi calling toggle is grey and won't move", "technical"),
        ("갤럭시 설정에서 와이파이 콜링 버튼이 회색이라 안 눌려요", "technical"),
        ("my number port from my previous carrier is still not finished after 3 days", "account"),
        ("다른 통신사에서 번호 옮기는 신청을 했는데 사흘이 지나도 안 끝났어요", "account"),
        (
            "I keep trying to pay my overdue balance but the payment page errors every time",
            "technical",
        ),
        ("요금 내려고 하는데 결제 화면에서 계속 실패해요", "technical"),
        ("the employee at your store mocked how I speak and would not help me", "general"),
        ("매장 직원이 제 발음을 비웃고 상담을 안 해줬어요", "general"),
        ("청구서에 제 이름 철자가 틀렸어요 Sara가 아니라 Sarah예요 고쳐 주세요", "account"),
    ],
)
async def test_a_report_gets_the_category_of_what_went_wrong(
    support_graph: Graph, thread_id: str, text: str, category: str
) -> None:
    """A phone feature or a payment page that fails is technical, a stuck port-in or a
    misspelt name is the account's, a member of staff's conduct is general."""
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert (result.status, result.category) == ("ticket_created", category)


@pytest.mark.parametrize(
    "text",
    [
        "is there any estimate on when my internet comes back?",
        "인터넷 언제쯤 복구돼요? 예상 시간 있나요",
    ],
)
async def test_an_outage_eta_question_goes_to_technical(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    """The technical specialist reads the region's status, which carries the ETA."""
    result = await send_message(support_graph, thread_id, text, "C-1006")  # Lakeshore: outage

    assert (result.status, result.route) == ("resolved", "technical")


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("we shut the account down in February and it still says $120 is owed, why?", "billing"),
        (
            "how many months are left on my phone installments and did the trade-in credit post?",
            "billing",
        ),
        ("what's the $4 item that turns up on each of my bills?", "billing"),
        ("해지했는데 아직 갚을 돈이 남았다고 떠요 무슨 금액이에요?", "billing"),
        ("a couple of my workers keep losing calls today, is there a problem?", "technical"),
        ("오늘 직원들 폰이 계속 안 터진대요 무슨 장애 있나요?", "technical"),
    ],
)
async def test_a_question_about_own_records_or_todays_network_goes_to_a_specialist(
    support_graph: Graph, thread_id: str, text: str, route: str
) -> None:
    """The customer's balance, device payments and invoice lines are billing's to read, and
    'is anything wrong today' is the region's status: neither a ticket nor the help center."""
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert (result.status, result.route) == ("resolved", route)


@pytest.mark.parametrize(
    "text",
    [
        "I bought the 14-day roaming pass on June 2 for a holiday. The holiday was called off. "
        "I stayed home the whole time. Can I get that back?",
        "7월에 해외 패스를 샀는데 여행이 취소돼서 못 썼어요. 그거 환불해 주세요",
    ],
)
async def test_a_refund_for_a_specific_purchase_waits_for_approval(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    """A story about a purchase that ends in 'can I get that back' asks for a refund."""
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert result.faq_id is None
    assert result.interrupted
    assert any(p["value"].get("action") == "request_refund" for p in result.interrupts)


@pytest.mark.parametrize(
    "text",
    [
        "used all my data in 12 days, do I get overage charges now?",
        "데이터 벌써 다 써버렸는데 초과 요금 청구되나요?",
    ],
)
async def test_a_data_overage_worry_gets_the_running_out_of_data_entry(
    support_graph: Graph, thread_id: str, text: str
) -> None:
    result = await send_message(support_graph, thread_id, text, "C-1001")

    assert (result.status, result.faq_id) == ("faq_answered", "faq-018")
