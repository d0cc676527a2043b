"""Send a PDF to the printer: CUPS `lp` (or `lpr`) where present, the system's print action
on Windows; otherwise the PDF stays saved and its path is what the person gets."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PrintResult:
    printed: bool
    message: str


def print_pdf(path: Path) -> PrintResult:
    """Print and report in French what the print command said."""
    for command in ("lp", "lpr"):
        exe = shutil.which(command)
        if exe is None:
            continue
        try:
            done = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return PrintResult(
                False, f"L’impression a échoué ({exc}). Le PDF est enregistré : {path}"
            )
        said = (done.stdout + done.stderr).strip()
        if done.returncode == 0:
            return PrintResult(
                True, f"Envoyé à l’imprimante ({command}) : {said or 'ok'}. PDF : {path}"
            )
        return PrintResult(
            False,
            f"L’imprimante a refusé ({command} : {said or done.returncode}). Le PDF est enregistré : {path}",
        )
    if os.name == "nt":  # pragma: no cover - Windows only
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]
            return PrintResult(True, f"Envoyé à l’imprimante par Windows. PDF : {path}")
        except OSError as exc:
            return PrintResult(
                False, f"L’impression a échoué ({exc}). Le PDF est enregistré : {path}"
            )
    return PrintResult(
        False, f"Aucune imprimante trouvée sur cet ordinateur. Le PDF est enregistré : {path}"
    )
