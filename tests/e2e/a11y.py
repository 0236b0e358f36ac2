"""Accessibility audit of the real window with axe-core (npm, ui/node_modules).

axe is injected through WebDriver (the app's CSP allows no inline script, and
WebDriver's scripts are not the page's) and run on the whole document; the
tests fail on any violation of impact "serious" or "critical" (colour
contrast AA among them)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "ui/node_modules/axe-core/axe.min.js"

RUN = """
const done = arguments[arguments.length - 1];
window.axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' : ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240))}))))
  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""


def serious_violations(driver) -> list:
    """axe's serious and critical violations on what the window shows now."""
    if not AXE_JS.is_file():
        raise AssertionError(f"{AXE_JS} is missing: run `npm ci` in ui/ (./dev test does)")
    driver.set_script_timeout(60)
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8") + "\n;window.axe = axe;")
    found = driver.execute_async_script(RUN)
    return [v for v in found if v["impact"] in ("serious", "critical")]


def describe(violations: list) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)
