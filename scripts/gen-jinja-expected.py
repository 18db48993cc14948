#!/usr/bin/env python3
"""Render every chat template in Tests/JinjaTests/Fixtures/templates over every conversation of
Tests/JinjaTests/Fixtures/conversations.json with Python jinja2, in the environment HF transformers
builds for chat templates (transformers/utils/chat_template_utils.py, _cached_compile_jinja_template),
and write Tests/JinjaTests/Fixtures/expected.json, which the Swift tests compare against byte for byte.

Run inside the test venv (jinja2 pinned in tests/requirements.txt):
    .venv/bin/python scripts/gen-jinja-expected.py
"""
import json
import pathlib
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "JinjaTests" / "Fixtures"


def hf_environment(now: float) -> ImmutableSandboxedEnvironment:
    """HF's chat-template environment, minus the {% generation %} tracker (its body renders unchanged)
    and with strftime_now pinned to the corpus's instant so the output is reproducible."""

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return datetime.fromtimestamp(now).strftime(format)

    class TemplateNamespace(jinja2.utils.Namespace):
        def __init__(*args, **kwargs):
            self, args = args[0], args[1:]
            attrs = dict(*args, **kwargs)
            for name in attrs:
                TemplateNamespace._check_name(name)
            jinja2.utils.Namespace.__init__(self, attrs)

        def __setitem__(self, name, value):
            TemplateNamespace._check_name(name)
            jinja2.utils.Namespace.__setitem__(self, name, value)

        @staticmethod
        def _check_name(name):
            if isinstance(name, str) and name.startswith("_"):
                raise jinja2.exceptions.SecurityError(f"underscore-prefixed namespace attribute {name!r}")

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    env.globals["dict"] = dict
    env.globals["namespace"] = TemplateNamespace
    return env


def context(corpus, conversation, add_generation_prompt):
    """What HF passes to render(): tools and documents default to None; the Swift test builds the same."""
    ctx = {"tools": None, "documents": None}
    ctx.update(conversation["context"])
    ctx.update(add_generation_prompt=add_generation_prompt, bos_token=corpus["bos_token"], eos_token=corpus["eos_token"])
    return ctx


def main():
    corpus = json.loads((FIXTURES / "conversations.json").read_text(encoding="utf-8"))
    env = hf_environment(corpus["now"])
    cases = []
    for path in sorted((FIXTURES / "templates").glob("*.jinja")):
        template = env.from_string(path.read_text(encoding="utf-8"))
        for conversation in corpus["conversations"]:
            for add_generation_prompt in (False, True):
                case = {"template": path.stem, "conversation": conversation["name"], "add_generation_prompt": add_generation_prompt}
                try:
                    case["output"] = template.render(**context(corpus, conversation, add_generation_prompt))
                except jinja2.exceptions.TemplateError as error:
                    # raise_exception raises the base TemplateError; jinja2's own errors are subclasses.
                    case["error"] = str(error)
                    case["raised"] = type(error) is jinja2.exceptions.TemplateError
                except Exception as error:  # TypeError, ValueError... from Python operations
                    case["error"] = f"{type(error).__name__}: {error}"
                    case["raised"] = False
                cases.append(case)
    out = {"jinja2": jinja2.__version__, "cases": cases}
    (FIXTURES / "expected.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    errors = sum("error" in c for c in cases)
    print(f"{len(cases)} cases ({errors} errors) written to {FIXTURES / 'expected.json'}")


if __name__ == "__main__":
    main()
