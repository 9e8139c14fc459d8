from __future__ import annotations

from partnernet.engines.mailing import render_body, render_template
from partnernet.engines.mailing.render import personalise


def test_markdown_to_html_and_text_with_placeholders() -> None:
    body = render_body(
        "# Вебинар\n\nЗдравствуйте, {{ greeting_name }}!\n\n"
        "[Регистрация](https://x.example/r) — **важно**.\n\n[Отписаться]({{unsubscribe_url}})",
        {"greeting_name": "Анна Сергеевна", "unsubscribe_url": "https://p.example/u/t/"},
    )
    assert "<h1>Вебинар</h1>" in body.html
    assert "Здравствуйте, Анна Сергеевна!" in body.html
    assert '<a href="https://p.example/u/t/">Отписаться</a>' in body.html
    assert "Регистрация (https://x.example/r) — важно." in body.text
    assert "Отписаться (https://p.example/u/t/)" in body.text
    assert "#" not in body.text and "**" not in body.text
    assert body.unknown == []


def test_values_are_escaped_and_never_read_as_markdown() -> None:
    body = render_body("Привет, {{ first_name }}", {"first_name": "<script>x</script> **b**"})
    assert "<script>" not in body.html and "&lt;script&gt;" in body.html
    assert "<strong>" not in body.html
    assert "<script>x</script> **b**" in body.text  # plain text stays as written


def test_unknown_placeholders_are_reported_and_kept() -> None:
    template = render_template("Привет, {{ nickname }} и {{ first_name }}")
    assert template.unknown == ["nickname"]
    copy = personalise(template, {"first_name": "Олег"})
    assert "{{ nickname }}" in copy.text and "Олег" in copy.text
