"""A mediator's own templates, rendered in Jinja's sandbox, in a child process with a
deadline.

A template copied from somewhere may reach Python through object attributes
(`cycler.__init__.__globals__.os.popen` ran a command) or never end (nested loops over a
range). The sandbox refuses unsafe attributes and calls. The deadline cannot be enforced
inside our own process without help from the template (a loop with an empty body calls
nothing we could intercept; `signal.alarm` works on the main thread only, and renders run
in workers; a thread cannot be stopped). So the render runs in a short-lived child Python
(`subprocess.run(..., timeout=...)`): past the deadline the child is killed and reaped,
nothing lingers, and the caller uses the shipped template and says why. The child also
has a memory and an output-size limit. The context goes in pickled (our own data); the
answer comes back as JSON, never unpickled, since the child ran foreign code.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from tpe_tui.domain.errors import os_reason

SECONDS = 5.0  # a summary renders in milliseconds: anything near this is a runaway loop
MAX_CHARS = 2_000_000  # a printed summary is a few pages
MEMORY_BYTES = 1 << 30


class TemplateFailure(Exception):
    """A personal template could not be used; the message (French) says why, starting with
    the line when known, e.g. « , ligne 3 : … »."""


def environment(folder: Path) -> SandboxedEnvironment:
    """The same settings and filters as the shipped templates get, in the sandbox."""
    from tpe_tui.documents.summary import long_date
    from tpe_tui.domain.records import french_date

    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=False,  # Markdown out; values are escaped for Markdown in the context
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["french_date"] = french_date
    env.filters["long_date"] = long_date
    return env


def render_user(folder: Path, name: str, context: Mapping[str, Any]) -> str:
    """`folder/name` rendered in the sandbox within SECONDS, or TemplateFailure."""
    try:
        payload = pickle.dumps((str(folder), name, dict(context)))
    except Exception as exc:  # a value we cannot hand over: ours still renders
        raise TemplateFailure(
            f" : données impossibles à transmettre au rendu protégé ({exc})"
        ) from None
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tpe_tui.documents.template_sandbox"],
            input=payload,
            capture_output=True,
            timeout=SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TemplateFailure(
            f" : le modèle a dépassé {SECONDS:g} s sans finir (une boucle sans fin ?)"
        ) from None
    except OSError as exc:
        raise TemplateFailure(
            f" : le rendu protégé n’a pas pu démarrer ({os_reason(exc)})"
        ) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
        if not isinstance(answer, dict):
            raise ValueError(answer)
    except ValueError:
        raise TemplateFailure(
            f" : le rendu s’est arrêté sans résultat (code {done.returncode}, "
            "mémoire ou taille dépassée ?)"
        ) from None
    if isinstance(answer.get("text"), str):
        return str(answer["text"])
    raise TemplateFailure(str(answer.get("error") or " : erreur inconnue"))


def _render_here(folder: str, name: str, context: dict[str, Any]) -> str:
    pieces, size = [], 0
    for piece in environment(Path(folder)).get_template(name).generate(context):
        size += len(piece)
        if size > MAX_CHARS:
            raise TemplateFailure(" : le modèle produit un texte beaucoup trop long")
        pieces.append(piece)
    return "".join(pieces)


def _reason(exc: Exception, name: str) -> str:
    from tpe_tui.documents.summary import _template_line

    if isinstance(exc, TemplateFailure):
        return str(exc)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f", ligne {exc.lineno} : erreur de syntaxe, {syntax_in_french(exc.message or '')}"
    line = _template_line(exc, name)
    # Jinja's own words are English: the common cases said in French (NEW3-27).
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"{line} : accès interdit par la protection des modèles"
    if isinstance(exc, jinja2.TemplateNotFound):
        return (
            f"{line} : modèle « {exc.name} » introuvable (seuls les modèles du dossier des "
            "modèles peuvent être inclus)"
        )
    if isinstance(exc, MemoryError):
        return f"{line} : mémoire dépassée (le modèle construit un texte beaucoup trop grand)"
    if isinstance(exc, jinja2.UndefinedError):
        unknown = re.search(r"'([^']+)' is undefined", str(exc))
        what = f"« {unknown.group(1)} »" if unknown else "une valeur"
        return f"{line} : {what} n’existe pas dans les données du compte rendu"
    if isinstance(exc, ZeroDivisionError):
        return f"{line} : division par zéro"
    # Python's words are English too: the kind of error only, in French.
    return f"{line} : erreur pendant le rendu ({_RUNTIME.get(type(exc), 'erreur inattendue')})"


# Jinja's syntax errors, said in French (NEW6-7: « expected token 'end of print statement',
# got '{' » in the middle of a French message). (pattern, French: {0} a group as it is,
# {t0} the same group as a token: « }} » for « end of print statement ».)
_TOKENS = {
    "end of print statement": "« }} »",
    "end of statement block": "« %} »",
    "end of comment": "« #} »",
    "end of template": "la fin du modèle",
}
_SYNTAX = (
    (
        r"looking for the following tags: .+?\. The innermost block that needs to be closed"
        r" is '(\w+)'",
        "le bloc « {{% {0} %}} » n’est pas fermé (« {{% end{0} %}} » manquant ?)",
    ),
    (r"^unexpected end of template, expected '(.+?)'", "le modèle finit avant {t0}"),
    (r"^expected token '(.+?)', got '(.+?)'", "{t0} attendu avant {t1}"),
    (r"^Encountered unknown tag '(.+?)'", "balise « {{% {0} %}} » inconnue ou mal placée"),
    (r"^No filter named '(.+?)'", "filtre « {0} » inconnu"),
    (r"^No test named '(.+?)'", "test « {0} » inconnu"),
    (r"^Expected an expression, got '(.+?)'", "une valeur manque avant {t0}"),
    (r"^unexpected '(.+?)', expected '(.+?)'", "{t0} inattendu, {t1} attendu"),
    (r"^unexpected '(.+?)'", "{t0} inattendu"),
    (r"^Missing end of comment tag", "commentaire « {{# » sans « #}} »"),
    (
        r"^unexpected char [\"'](.+?)[\"'] at \d+",
        "caractère {t0} inattendu (guillemet non fermé ?)",
    ),
)
_RUNTIME = {
    TypeError: "opération impossible sur ces valeurs",
    ValueError: "valeur impossible",
    KeyError: "clé absente",
    IndexError: "élément absent de la liste",
    AttributeError: "attribut absent",
    RecursionError: "appels sans fin",
}


def syntax_in_french(message: str) -> str:
    """Jinja's syntax error message in French; « modèle illisible » when not one we know."""
    for pattern, french in _SYNTAX:
        found = re.search(pattern, message)
        if found:
            groups = found.groups()
            tokens = {f"t{i}": _TOKENS.get(g, f"« {g} »") for i, g in enumerate(groups)}
            return french.format(*groups, **tokens)
    return "modèle illisible à cet endroit"


def main() -> None:
    """The child: read the pickled request on stdin, write the JSON answer on stdout."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass
    folder, name, context = pickle.loads(sys.stdin.buffer.read())
    try:
        answer = {"text": _render_here(folder, name, context)}
    except Exception as exc:  # any failure of a person's template is reported
        answer = {"error": _reason(exc, name)}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
