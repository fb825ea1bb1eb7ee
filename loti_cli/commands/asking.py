"""Asking the author at a terminal: the Prompter `loti proposal new` gives the drafting."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import typer

T = TypeVar("T")


class TerminalPrompter:
    """Questions and hints on standard error, answers from standard input; an answer the
    drafting's check refuses is explained and asked again."""

    def tell(self, message: str) -> None:
        typer.echo(message, err=True)

    def ask(
        self,
        prompt: str,
        check: Callable[[str], T],
        *,
        default: str | None = None,
        optional: bool = False,
    ) -> T | None:
        from loti_cli.pipeline.draft_answers import InvalidAnswer

        while True:
            answer = typer.prompt(
                prompt,
                default=default if default is not None else ("" if optional else None),
                show_default=bool(default),
                err=True,
            ).strip()
            if not answer and optional:
                return None
            try:
                return check(answer)
            except InvalidAnswer as error:
                self.tell(f"  {error}")

    def ask_many(
        self,
        prompt: Callable[[Sequence[T]], str],
        check: Callable[[str, Sequence[T]], T],
        enough: Callable[[Sequence[T]], str | None] | None = None,
    ) -> list[T]:
        from loti_cli.pipeline.draft_answers import InvalidAnswer

        chosen: list[T] = []
        while True:
            answer = typer.prompt(prompt(chosen), default="", show_default=False, err=True).strip()
            if not answer:
                problem = enough(chosen) if enough is not None else None
                if problem is None:
                    return chosen
                self.tell(f"  {problem}")
                continue
            try:
                chosen.append(check(answer, chosen))
            except InvalidAnswer as error:
                self.tell(f"  {error}")

    def confirm(self, prompt: str) -> bool:
        return typer.confirm(prompt, default=False, err=True)
