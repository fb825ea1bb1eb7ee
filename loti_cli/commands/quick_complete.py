"""A shell's completion request answered from `data/completion.json`, without importing Typer.

Importing Typer is most of what a TAB press costs. For bash, zsh and fish this
module reads the line as Typer's scripts give it, follows it through the
command tree the file records (options as Click's parser reads them, in its
resilient mode), finds what Typer's completion would complete (a subcommand,
an option's name or value, an argument), asks the same function or choices for
the words, and writes them in each shell's protocol, as loti's Typer path
quotes them (`commands/shells.py`). Whatever it is not sure of (PowerShell, a
file not current, a value that Typer converts before a completion function
reads it, output that Click's `echo` would change) it leaves to Typer:
`respond` returns None and the `loti` command runs as ever.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from loti_cli.commands import completion_data
from loti_cli.commands.complete import bash_word, help_text

COMPLETE_VAR = "_LOTI_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
TAKES_VALUE = ("store", "append")
_SPACE = re.compile(r"\s")

Level = dict[str, Any]
Item = tuple[str, str | None]
"""A word offered, and its help (shown by zsh and fish)."""


class Unsure(BaseException):
    """The request is one Typer must answer. (Not an Exception: a completion function's
    `except Exception` must not take it for its own failure.)"""


class _Stop(Exception):
    """Click's parser met a usage error: in resilient mode it stops there, silently."""


def respond() -> int | None:
    """Answer the completion request in the environment and return the exit code, or
    return None, having written nothing, when Typer must answer it."""
    try:
        shell = _shell()
        root = completion_data.read()
        if root is None:
            return None
        args, incomplete = _request(shell)
        level, opts, prefixes = _resolve(root, args)
        items = _items(level, opts, prefixes, args, incomplete)
        return _write(shell, items)
    except Unsure:
        return None
    except Exception:  # a fault here must not cost the user a completion
        if os.environ.get("LOTI_DEBUG"):
            raise
        return None


def _shell() -> str:
    """The shell asking, when Typer would take the request as one from it."""
    main = sys.modules.get("__main__")
    if os.name == "nt" or getattr(main, "__package__", None) not in (None, ""):
        raise Unsure  # `python -m`: Typer names the program, and its variable, otherwise
    program = os.path.basename(sys.argv[0])  # noqa: PTH119 - as Click names the program
    if f"_{program}_COMPLETE".replace("-", "_").upper() != COMPLETE_VAR:
        raise Unsure
    instruction, _, shell = os.environ.get(COMPLETE_VAR, "").partition("_")
    if instruction != "complete" or shell not in SHELLS:
        raise Unsure
    return shell


def split_arg_string(string: str) -> list[str]:
    """The words of a command line, as Click splits them (an unclosed quote or a final
    backslash ends the last word as it is)."""
    import shlex

    lex = shlex.shlex(string, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:
        out.append(lex.token)
    return out


def _request(shell: str) -> tuple[list[str], str]:
    """The complete words after the program's name, and the word being completed."""
    if shell == "bash":
        try:
            words = split_arg_string(os.environ["COMP_WORDS"])
            cword = int(os.environ["COMP_CWORD"])
        except (KeyError, ValueError):
            raise Unsure from None
        return words[1:cword], words[cword] if -len(words) <= cword < len(words) else ""
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    args = split_arg_string(line)[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _resolve(root: Level, args: list[str]) -> tuple[Level, dict[str, Any], set[str]]:
    """The command the words lead to, the values its parser found, and the option prefixes
    of the commands on the way (as Typer's completion resolves its context)."""
    level = root
    opts, rest = _parse(level, args)
    prefixes = set(level["prefixes"])
    while level["group"] and rest:
        found = dict(level["commands"]).get(rest[0])
        if found is None:
            break
        level = found
        opts, rest = _parse(level, rest[1:])
        prefixes.update(level["prefixes"])
    return level, opts, prefixes


def _parse(level: Level, args: list[str]) -> tuple[dict[str, Any], list[str]]:
    """What Click's parser makes of `args` for this command in resilient mode: the values
    by name and the words left (for a group, the subcommand and its words)."""
    if level.get("unsupported"):
        raise Unsure
    opts: dict[str, Any] = {}
    prefixes = set(level["prefixes"])
    rargs, largs = list(args), []
    try:
        while rargs:
            arg = rargs.pop(0)
            if arg == "--":
                break
            if arg[:1] in prefixes and len(arg) > 1:
                _option(level, arg, rargs, opts, prefixes)
            elif not level["group"]:  # a group stops at its first word that is no option
                largs.append(arg)
            else:
                rargs.insert(0, arg)
                break
        largs = _arguments(level, largs + rargs, opts)
    except _Stop:
        pass
    if any(param["loud"] and opts.get(param["name"]) is not None for param in level["params"]):
        raise Unsure  # its callback may write (as --version does) even while completing
    return opts, largs


def _option(
    level: Level, arg: str, rargs: list[str], opts: dict[str, Any], prefixes: set[str]
) -> None:
    explicit = None
    name = arg
    if "=" in arg:
        name, explicit = arg.split("=", 1)
    found = level["long"].get(name)
    if found is None:
        if arg[:2] in prefixes:
            raise _Stop  # no such option
        _short_options(level, arg, rargs, opts)
        return
    dest, action, const = found
    value = None
    if action in TAKES_VALUE:
        if explicit is not None:
            rargs.insert(0, explicit)
        value = _value(rargs)
    elif explicit is not None:
        raise _Stop  # a flag given a value
    _process(opts, dest, action, const, value)


def _short_options(level: Level, arg: str, rargs: list[str], opts: dict[str, Any]) -> None:
    """`-abc`: flags in a row, the first that takes a value taking the rest of the word."""
    prefix, position = arg[0], 1
    for char in arg[1:]:
        found = level["short"].get(prefix + char)
        position += 1
        if found is None:
            raise _Stop
        dest, action, const = found
        value, stop = None, False
        if action in TAKES_VALUE:
            if position < len(arg):
                rargs.insert(0, arg[position:])
                stop = True
            value = _value(rargs)
        _process(opts, dest, action, const, value)
        if stop:
            break


def _value(rargs: list[str]) -> str:
    if not rargs:
        raise _Stop  # the option requires a value
    return rargs.pop(0)


def _process(opts: dict[str, Any], dest: str, action: str, const: Any, value: Any) -> None:
    if action == "store":
        opts[dest] = value
    elif action == "store_const":
        opts[dest] = const
    elif action == "append":
        opts.setdefault(dest, []).append(value)
    elif action == "append_const":
        opts.setdefault(dest, []).append(const)
    else:
        raise Unsure  # a count, or an action of a later Click


def _arguments(level: Level, args: list[str], opts: dict[str, Any]) -> list[str]:
    """The command's argument (it has at most one) takes its words; the rest are left."""
    if not level["arguments"]:
        return args
    [(dest, nargs)] = level["arguments"]
    if nargs == -1:
        opts[dest] = tuple(args)
        return []
    opts[dest] = args[0] if args else None
    return args[1:]


def _items(
    level: Level, opts: dict[str, Any], prefixes: set[str], args: list[str], incomplete: str
) -> list[Item]:
    """What Typer's completion offers for the word being completed (`_resolve_incomplete`)."""

    def option_like(word: str) -> bool:
        return bool(word) and word[0] in prefixes

    args = list(args)
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and option_like(incomplete):
        name, _, incomplete = incomplete.partition("=")
        args.append(name)
    if "--" not in args and option_like(incomplete):
        return _command_items(level, opts, incomplete)
    last = args[-1] if args and option_like(args[-1]) else None
    for param in level["params"]:
        if param["option"] and not param["flag"] and last is not None and last in param["opts"]:
            return _param_items(param, level, opts, incomplete)
    for param in level["params"]:
        if param["argument"] and (param["nargs"] == -1 or opts.get(param["name"]) is None):
            return _param_items(param, level, opts, incomplete)
    return _command_items(level, opts, incomplete)


def _command_items(level: Level, opts: dict[str, Any], incomplete: str) -> list[Item]:
    """A group's subcommands, and the options not given yet (once something not a letter
    or a digit is typed)."""
    items: list[Item] = []
    for name, command in level.get("commands", []):
        if name.startswith(incomplete) and not command["hidden"]:
            items.append((name, command["help"]))
    if incomplete and not incomplete[0].isalnum():
        for param in level["params"]:
            given = not param["multiple"] and opts.get(param["name"]) is not None
            if not param["option"] or param["hidden"] or given:
                continue
            names = _help_names(level) if param["help_option"] else param["opts"]
            names = [*names, *param["secondary"]]
            items += [(name, param["help"]) for name in names if name.startswith(incomplete)]
    return items


def _help_names(level: Level) -> list[str]:
    """The help option's names in the order Click gives them: a set's, as Click makes it."""
    names = set(level["help_names"])
    for param in level["params"]:
        if not param["help_option"]:
            names.difference_update(param["opts"])
            names.difference_update(param["secondary"])
    return list(names)


def _param_items(param: Level, level: Level, opts: dict[str, Any], incomplete: str) -> list[Item]:
    """The values that complete a parameter's: its function's, its choices, or none."""
    completes = param["complete"]
    kind = completes["kind"]
    if kind == "function":
        return _called(completes, level, opts, incomplete)
    if kind == "choices":
        choices: list[str] = completes["choices"]
        if completes["case_sensitive"]:
            return [(choice, None) for choice in choices if choice.startswith(incomplete)]
        typed = incomplete.lower()
        return [(choice, None) for choice in choices if choice.lower().startswith(typed)]
    if kind == "file":
        return [(incomplete, None)]
    if kind == "none":
        return []
    raise Unsure


def _called(completes: Level, level: Level, opts: dict[str, Any], incomplete: str) -> list[Item]:
    """The words a function of `commands/complete.py` offers, as Typer filters them."""
    from loti_cli.commands import complete

    function = getattr(complete, completes["function"], None)
    if not callable(function):
        raise Unsure
    given: dict[str, Any] = {}
    if completes["ctx"]:
        given[completes["ctx"]] = _Asked(_Values(level, opts))
    if completes["incomplete"]:
        given[completes["incomplete"]] = incomplete
    try:
        offered = function(**given)
    except Exception:  # Typer would fail the same way: let it say so
        raise Unsure from None
    items: list[Item] = []
    for word in offered:
        if isinstance(word, tuple) and len(word) >= 2 and isinstance(word[0], str):
            value, help_ = word[0], word[1]
        elif isinstance(word, str):
            value, help_ = word, None
        else:
            raise Unsure
        if not (help_ is None or isinstance(help_, str)):
            raise Unsure
        if value.startswith(incomplete):
            items.append((value, help_))
    return items


class _Asked:
    """What a completion function is given for Typer's context: the values by name."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params


class _Values(Mapping[str, Any]):
    """The command's values as Typer's context would hold them: text, repeated text and
    flags as given, or each one's default; any other value given (converted by Typer) is
    not known here, and reading it leaves the request to Typer."""

    def __init__(self, level: Level, opts: dict[str, Any]) -> None:
        self._params = {param["name"]: param for param in level["params"]}
        self._opts = opts

    def __getitem__(self, name: str) -> Any:
        param = self._params[name]
        value = self._opts.get(name)
        if value is None:
            if "default" not in param:
                raise Unsure
            return param["default"]
        if param["kind"] == "str" and isinstance(value, str):
            return value
        if param["kind"] == "list-str" and isinstance(value, list):
            return list(value)
        if param["kind"] == "flag" and isinstance(value, bool):
            return value
        raise Unsure

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)


def _write(shell: str, items: list[Item]) -> int:
    """Write the words as loti's Typer path gives them to the shell; the exit code."""
    if shell == "bash":
        out = "\n".join(bash_word(value) for value, _ in items)
    elif shell == "zsh":
        lines = [
            f'"{_zsh(value)}":"{help_text(_zsh(help_))}"' if help_ else f'"{_zsh(value)}"'
            for value, help_ in items
        ]
        out = "_arguments '*: :((" + "\n".join(lines) + "))'" if lines else "_files"
    else:
        lines = [
            f"{value}\t{help_text(_SPACE.sub(' ', help_))}" if help_ else value
            for value, help_ in items
        ]
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if lines else 1  # whether fish should complete arguments, not files
        out = "\n".join(lines) if action == "get-args" else ""
    encoding = (getattr(sys.stdout, "encoding", None) or "ascii").lower().replace("_", "-")
    if "\x1b" in out or not (out.isascii() or encoding in ("utf-8", "utf8")):
        raise Unsure  # Click's echo would strip escapes, or choose the encoding
    sys.stdout.write(out + "\n")
    sys.stdout.flush()
    return 0


def _zsh(text: str) -> str:
    """Text inside zsh's double quotes, escaped as Typer escapes it."""
    return (
        text.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )
