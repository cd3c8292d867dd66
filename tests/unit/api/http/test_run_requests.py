"""A short run input is masked on the event loop; a large one in a worker thread."""

from __future__ import annotations

import threading

from api.http.run_requests import INLINE_CHARS, fits_inline, off_loop_if_large


def user_input(text: str) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": text}], "customer_id": "C-1001"}


def test_one_user_message_fits_inline_and_a_long_one_does_not() -> None:
    assert fits_inline(user_input("How do I reset my voicemail PIN?"))
    assert fits_inline(None)
    assert not fits_inline(user_input("x" * INLINE_CHARS))
    many = {"messages": [{"role": "user", "content": "short"} for _ in range(INLINE_CHARS)]}
    assert not fits_inline(many)


async def test_short_input_is_handled_on_the_loop_thread() -> None:
    loop_thread = threading.get_ident()
    ran_on = await off_loop_if_large(user_input("What are your store hours?"), threading.get_ident)
    assert ran_on == loop_thread


async def test_large_input_is_handled_off_the_loop() -> None:
    loop_thread = threading.get_ident()
    ran_on = await off_loop_if_large(user_input("y" * (INLINE_CHARS + 1)), threading.get_ident)
    assert ran_on != loop_thread
