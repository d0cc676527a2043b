"""Send a PDF to the printer: CUPS `lp` (or `lpr`) where present, the system's print action
on Windows; otherwise the PDF stays saved and its path is what the person gets."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tpe_tui.domain.errors import os_reason

log = logging.getLogger("tpe_tui.printing")


@dataclass
class PrintResult:
    printed: bool
    message: str


def print_pdf(path: Path) -> PrintResult:
    """Print and say in French whether the document went to the printer."""
    for command in ("lp", "lpr"):
        exe = shutil.which(command)
        if exe is None:
            continue
        try:
            done = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            reason = (
                f"{command} n’a pas répondu en une minute"
                if isinstance(exc, subprocess.TimeoutExpired)
                else os_reason(exc)
            )
            return PrintResult(
                False, f"L’impression a échoué ({reason}). Le PDF est enregistré : {path}"
            )
        said = (done.stdout + done.stderr).strip()
        # What lp says (« request id is … ») is in English and for whoever fixes printers:
        # the log keeps it, the person reads a French sentence.
        log.info("%s %s -> %s: %s", command, path, done.returncode, said)
        if done.returncode == 0:
            return PrintResult(True, f"Envoyé à l’imprimante. PDF enregistré : {path}")
        return PrintResult(
            False,
            f"L’imprimante a refusé ({command} : {said or done.returncode}). Le PDF est enregistré : {path}",
        )
    if os.name == "nt":  # pragma: no cover - Windows only
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]
            return PrintResult(True, f"Envoyé à l’imprimante par Windows. PDF enregistré : {path}")
        except OSError as exc:
            return PrintResult(
                False, f"L’impression a échoué ({os_reason(exc)}). Le PDF est enregistré : {path}"
            )
    return PrintResult(
        False, f"Aucune imprimante trouvée sur cet ordinateur. Le PDF est enregistré : {path}"
    )
