"""Per definition, supporting versus countering evidence as a two-sided bar chart."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BAR = "█"


def balance_text(
    balance: dict[str, dict[str, int]], labels: dict[str, str], width: int = 16
) -> Text:
    """Counters grow left (red), supports grow right (green), one line per definition;
    counters that talk past the claim (no shared definition) are counted apart, in grey; then,
    when given, how many claims using each definition affirm, dispute or are neutral.
    ``balance`` is emlit.evidence.balance's: the same numbers as ``emlit analyze``."""
    top = max([1] + [max(v["supports"], v["counters"]) for v in balance.values()])
    bar_w = width - 4  # room for the count beside each bar
    text = Text()
    text.append(f"{'':<4}{'counters':>{width}} │ supports\n", "dim")
    for d, counts in balance.items():
        sup, ctr, past = counts["supports"], counts["counters"], counts["talking_past"]
        left = BAR * round(bar_w * ctr / top)
        number = f"{ctr} " if ctr else ""
        text.append(f"{d:<4}", "bold cyan")
        text.append(" " * (width - len(left) - len(number)))
        text.append(number + left, "red")
        text.append(" │ ")
        text.append(BAR * round(bar_w * sup / top), "green")
        text.append(f" {sup}" if sup else "", "green")
        text.append(f"  ({past} past)\n" if past else "\n", "dim")
    if any("affirms" in counts for counts in balance.values()):
        # The claims themselves (contract 9): how many using each definition affirm,
        # dispute or are neutral toward emergence.
        text.append("\nclaims  affirm  dispute  neutral\n", "dim")
        for d, counts in balance.items():
            text.append(f"{d:<7}", "bold cyan")
            text.append(f"{counts.get('affirms', 0):>7}", "green")
            text.append(f"{counts.get('disputes', 0):>9}", "red")
            text.append(f"{counts.get('neutral', 0):>9}\n")
    text.append("\n")
    for d in balance:
        text.append(f"{d:<4}", "bold cyan")
        text.append(f"{labels.get(d, '')}\n", "dim")
    text.rstrip()
    return text


class BalanceChart(Static):
    """The balance of support and counter evidence per definition in a claim's neighbourhood."""

    def show(self, balance: dict[str, dict[str, int]], labels: dict[str, str]) -> None:
        self.update(balance_text(balance, labels))
