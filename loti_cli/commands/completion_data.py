"""The command tree as shell completion reads it, written from the Typer app into a file.

A TAB press answered by Typer imports Typer and builds the commands it names,
which is most of what the press costs. `loti_cli/data/completion.json` holds
what completion needs of the app instead: each command and group, the options
as Click's parser reads them, each parameter's help and what completes its
values (fixed choices, a function of `commands/complete.py`, file names, or
nothing). It records a checksum of the sources that make the app and the Typer
version it was written with; while either differs, the file is not used and
Typer answers. The tests keep it current (`LOTI_UPDATE_GOLDEN=1` rewrites it).
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path
from typing import Any

import loti_cli

PACKAGE = Path(loti_cli.__file__).parent
PATH = PACKAGE / "data" / "completion.json"
ABOUT = (
    "Every command of loti as shell completion reads it, written from the app by the tests; "
    "do not edit: run `LOTI_UPDATE_GOLDEN=1 uv run pytest tests/test_startup.py`."
)
FUNCTIONS = "loti_cli.commands.complete"
"""The one module whose completion functions are called without Typer."""

Level = dict[str, Any]
QUIET = {
    "typer.completion:install_callback",
    "typer.completion:show_callback",
    "typer._click.decorators:help_option.<locals>.show_help",
    "loti_cli.commands.proposal_decide:_existing",
    "loti_cli.commands.proposal_close:_existing",
    "loti_cli.commands.proposal_close:_day",
}
"""Parameter callbacks that write nothing while a completion parses the line (they check a
value, or do nothing in Click's resilient parsing). Any other, `--version`'s say, may
write: a command line that gives its parameter is left to Typer."""


def checksum(extra: list[str]) -> str:
    """A checksum of the sources that make the app: `cli.py`, every module of `commands/`
    and the `extra` files (relative to the package) that define choices it offers."""
    paths = [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]
    paths += [PACKAGE / name for name in extra]
    value = 0
    for path in paths:
        value = zlib.crc32(path.read_bytes(), zlib.crc32(path.name.encode(), value))
    return f"{value:08x}"


def typer_installed(version: str) -> bool:
    """Whether the Typer that `import typer` would load is this version (found by its
    distribution's folder beside it, without importing it)."""
    for entry in sys.path:
        folder = Path(entry or ".")
        if (folder / "typer" / "__init__.py").is_file():
            return (folder / f"typer-{version}.dist-info").is_dir()
    return False


def read(path: Path | None = None) -> Level | None:
    """The root command of the file, or None when it is missing, malformed or not current."""
    try:
        data = json.loads((path or PATH).read_bytes())
        extra = data["files"]
        if data["source"] != checksum(extra) or not typer_installed(data["typer"]):
            return None
        root = data["root"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return root if isinstance(root, dict) else None


# ---------------------------------------------------------------------------
# writing the file from the app (the tests do; this imports Typer)


def write() -> str:
    """The file's text, from the app with every command, as it is now."""
    import typer
    from typer._click.core import Context

    from loti_cli.cli import build
    from loti_cli.commands.branch import evaluate

    root = typer.main.get_command(evaluate(build()))
    ctx = Context(root, info_name="loti", resilient_parsing=True, **root.context_settings)
    files: set[str] = set()
    tree = _level(root, ctx, files)
    extra = sorted(files)
    data = {
        "about": ABOUT,
        "source": checksum(extra),
        "typer": typer.__version__,
        "files": extra,
        "root": tree,
    }
    return json.dumps(data, indent=1) + "\n"


def _level(command: Any, ctx: Any, files: set[str]) -> Level:
    """One command or group, with its subcommands (`ctx` is a context for it)."""
    from typer.core import TyperGroup

    level: Level = {
        "group": isinstance(command, TyperGroup),
        "hidden": bool(command.hidden),
        "help": command.get_short_help_str(),
    }
    problem = _unsupported(command, ctx)
    if problem:
        level["unsupported"] = problem
    level.update(_parser(command, ctx))
    defaults = _defaults(command, ctx)
    level["params"] = [_param(param, defaults, files) for param in command.get_params(ctx)]
    # Click names the help option from a set: its names' order is the set's, in each process.
    level["help_names"] = list(ctx.help_option_names)
    helper = command.get_help_option(ctx)
    for param, entry in zip(command.get_params(ctx), level["params"], strict=True):
        entry["help_option"] = param is helper
        if param is helper:  # written in one order, whatever the set's in this process
            entry["opts"] = sorted(entry["opts"])
    if isinstance(command, TyperGroup):
        level["commands"] = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            sub_ctx = type(ctx)(sub, parent=ctx, info_name=name, resilient_parsing=True)
            level["commands"].append([name, _level(sub, sub_ctx, files)])
    return level


def _unsupported(command: Any, ctx: Any) -> str:
    """Why completion of this command must be left to Typer ('' when it need not)."""
    if ctx.token_normalize_func is not None or ctx.auto_envvar_prefix is not None:
        return "names are normalised or read from the environment"
    if ctx.default_map or getattr(command, "chain", False):
        return "a default map or a chained group"
    params = command.get_params(ctx)
    arguments = [param for param in params if param.param_type_name == "argument"]
    if len(arguments) > 1 or any(param.nargs not in (1, -1) for param in arguments):
        return "more than one argument, or one of a fixed count"
    return ""


def _parser(command: Any, ctx: Any) -> Level:
    """The options and arguments as Click's parser reads them, by the option strings."""
    parser = command.make_parser(ctx)
    table: Level = {"prefixes": sorted(parser._opt_prefixes), "long": {}, "short": {}}
    for key, found in (("long", parser._long_opt), ("short", parser._short_opt)):
        for opt, option in found.items():
            if option.nargs != 1 or not isinstance(option.const, bool | None):
                table["unsupported"] = f"{opt} takes {option.nargs} values"
            table[key][opt] = [option.dest, option.action, option.const]
    table["arguments"] = [[argument.dest, argument.nargs] for argument in parser._args]
    return table


def _defaults(command: Any, ctx: Any) -> dict[str, Any]:
    """Each parameter's value when the command line gives none (as completion sees it)."""
    fresh = type(ctx)(command, parent=ctx.parent, info_name=ctx.info_name, resilient_parsing=True)
    with fresh:
        command.parse_args(fresh, [])
    return dict(fresh.params)


def _param(param: Any, defaults: dict[str, Any], files: set[str]) -> Level:
    from typer.core import TyperArgument, TyperOption

    entry: Level = {
        "name": param.name,
        "option": isinstance(param, TyperOption),
        "argument": isinstance(param, TyperArgument),
        "opts": list(param.opts),
        "secondary": list(getattr(param, "secondary_opts", [])),
        "flag": bool(getattr(param, "is_flag", False) or getattr(param, "count", False)),
        "multiple": bool(param.multiple),
        "nargs": param.nargs,
        "hidden": bool(getattr(param, "hidden", False)),
        "help": getattr(param, "help", None),
        "kind": _kind(param),
        "loud": _loud(param.callback),
        "complete": _completes(param, files),
    }
    default = defaults.get(param.name)
    if getattr(param, "envvar", None) is not None:  # its value is the environment's
        entry["kind"] = "other"
    elif _plain(default):
        entry["default"] = list(default) if isinstance(default, tuple) else default
    return entry


def _loud(callback: Any) -> bool:
    """Whether the parameter's callback may write something when it is given."""
    function = getattr(callback, "__wrapped__", callback)
    if function is None:
        return False
    return f"{function.__module__}:{function.__qualname__}" not in QUIET


def _plain(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(type(item) is str for item in value)
    return value is None or type(value) in (str, bool)


def _kind(param: Any) -> str:
    """How a value given on the command line reaches the completion functions unchanged:
    `str`, `list-str` (a repeated option of text), `flag`, or `other` (converted)."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or param.callback is not None:
        return "other"
    if getattr(param, "is_flag", False) and descriptor.annotation is bool:
        return "flag"
    info = descriptor.parameter_info
    if info.parser is not None or descriptor.file_annotation is not None:
        return "other"
    if descriptor.annotation is str and not param.multiple:
        return "str"
    if descriptor.is_list and descriptor.annotation == list[str] and param.multiple:
        return "list-str"
    return "other"


def _completes(param: Any, files: set[str]) -> Level:
    """What completes the parameter's values: a function, fixed choices, files or nothing."""
    from typer._param_types import choice_as_str

    custom = getattr(param, "_custom_shell_complete", None)
    if custom is not None:
        return _function(custom)
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None:
        return {"kind": "unsupported"}
    if descriptor.is_choice and descriptor.choices is not None:
        for choice in descriptor.choices:
            module = sys.modules[type(choice).__module__].__file__
            where = Path(module) if module is not None else None
            if where and where.is_relative_to(PACKAGE) and where.parent != PACKAGE / "commands":
                files.add(where.relative_to(PACKAGE).as_posix())
        return {
            "kind": "choices",
            "choices": [choice_as_str(choice) for choice in descriptor.choices],
            "case_sensitive": bool(descriptor.case_sensitive),
        }
    if descriptor.is_file:
        return {"kind": "file"}
    return {"kind": "none"}


def _function(custom: Any) -> Level:
    """A completion function given as Typer's `autocompletion`, and how it is called."""
    cells = dict(zip(custom.__code__.co_freevars, custom.__closure__ or (), strict=True))
    wrapper = cells["autocompletion"].cell_contents if "autocompletion" in cells else None
    function = getattr(wrapper, "__wrapped__", None)
    if custom.__name__ != "compat_autocompletion" or wrapper is None or function is None:
        return {"kind": "unsupported"}
    names = dict(zip(wrapper.__code__.co_freevars, wrapper.__closure__ or (), strict=True))
    passes = {key: names[key].cell_contents for key in ("ctx_name", "args_name", "incomplete_name")}
    if function.__module__ != FUNCTIONS or passes["args_name"] is not None:
        return {"kind": "unsupported"}
    return {
        "kind": "function",
        "function": function.__name__,
        "ctx": passes["ctx_name"],
        "incomplete": passes["incomplete_name"],
    }
