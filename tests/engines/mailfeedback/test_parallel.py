"""parse_many: the same results in worker processes as in this one, input read a window ahead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from partnernet.engines.mailfeedback import iter_messages, parse_many, to_json

DATA = Path(__file__).resolve().parents[2] / "data" / "mail"


def _messages() -> list[tuple[str, bytes]]:
    return sorted(iter_messages(DATA))


def test_workers_give_the_results_of_one_process_in_order() -> None:
    messages = _messages() * 3  # more than one window
    serial = [to_json(r, message=n) for n, r in parse_many(messages, jobs=1)]
    parallel = [to_json(r, message=n) for n, r in parse_many(messages, jobs=2, window=16)]
    assert len(serial) == len(messages) > 16
    assert parallel == serial
    assert [item["message"] for item in parallel] == [name for name, _raw in messages]


def test_input_is_read_one_window_ahead_at_most() -> None:
    consumed = 0
    sample = _messages()[:4]

    def stream() -> Iterator[tuple[str, bytes]]:
        nonlocal consumed
        for k in range(1000):
            consumed += 1
            yield sample[k % len(sample)]

    results = parse_many(stream(), jobs=2, window=20)
    next(results)
    assert consumed <= 20
    results.close()  # stops the workers
