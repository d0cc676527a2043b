"""Every style sheet (app.tcss, each widget's and screen's own CSS) says each selector once:
a rule split over two places in one sheet is how a style is lost or overridden unnoticed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from textual.app import App
from textual.css.model import RuleSet
from textual.css.parse import parse
from textual.css.tokenize import tokenize_values
from textual.dom import DOMNode

import tpe_tui.ui

UI = Path(tpe_tui.ui.__file__).parent
VARIABLES = tokenize_values(App().get_css_variables())


def sheets() -> Iterator[tuple[str, str]]:
    """(where, css) for every sheet of the interface: .tcss files and classes' own CSS."""
    for path in sorted(UI.rglob("*.tcss")):
        yield str(path.relative_to(UI)), path.read_text(encoding="utf-8")
    for info in pkgutil.walk_packages(tpe_tui.ui.__path__, "tpe_tui.ui."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if not (inspect.isclass(value) and issubclass(value, DOMNode)):
                continue
            if value.__module__ != module.__name__:
                continue  # imported here, checked where it is defined
            for attribute in ("DEFAULT_CSS", "CSS"):
                css = value.__dict__.get(attribute)
                if isinstance(css, str) and css.strip():
                    yield f"{module.__name__}.{name}.{attribute}", css


def selectors_defined_twice(css: str) -> list[str]:
    counts = Counter(
        RuleSet._selector_to_css(selector_set.selectors)
        for rule_set in parse("", css, ("", ""), variable_tokens=VARIABLES)
        for selector_set in rule_set.selector_set
    )
    return sorted(selector for selector, count in counts.items() if count > 1)


def test_the_check_finds_a_selector_defined_twice() -> None:
    css = "#a { height: 1; }\n.b, #a > Static { color: red; }\n#a { width: 4; }"
    assert selectors_defined_twice(css) == ["#a"]
    assert selectors_defined_twice("#a { height: 1; }\n#a > Static { width: 4; }") == []


def test_no_sheet_defines_a_selector_twice() -> None:
    found = dict(sheets())
    # The walk reaches the app's sheet and the screens' own CSS.
    assert {"app.tcss", "tpe_tui.ui.screens.agenda.AgendaScreen.DEFAULT_CSS"} <= set(found)
    twice = {
        where: names for where, css in found.items() if (names := selectors_defined_twice(css))
    }
    assert twice == {}
