"""``study optimize``: fit the FSRS parameters to your own review history."""

from __future__ import annotations

import argparse
import json
import sys

from study.commands._common import CommandError, service
from study.core.scheduling.fitting import (
    Fit,
    FittingError,
    fit,
    logged_reviews,
    save_parameters,
)
from study.core.words import plural


def _report(result: Fit, retention: float) -> str:
    lines = [
        f"Fitted to {plural(result.reviews, 'review')} of {plural(result.items, 'card')}.",
        *_set_aside(result),
        "",
        "              log-loss    RMSE   reviews/day",
        f"  current     {result.before.log_loss:8.4f}  {result.before.rmse:6.2%}  "
        f"{result.daily_before:8.1f}",
        f"  fitted      {result.after.log_loss:8.4f}  {result.after.rmse:6.2%}  "
        f"{result.daily_after:8.1f}",
        "",
        (
            f"(lower log-loss and RMSE: better predictions; reviews/day: simulated over a year at "
            f"{retention:.0%} retention with your daily limits)"
        ),
        "",
        "  parameter    current     fitted",
    ]
    lines += [
        f"  w{i:<10d}{old:9.4f}  {new:9.4f}"
        for i, (old, new) in enumerate(zip(result.old, result.new, strict=False))
    ]
    return "\n".join(lines)


def _set_aside(result: Fit) -> list[str]:
    if not result.set_aside:
        return []
    n = result.set_aside
    return [
        f"{plural(n, 'review')} set aside: recorded with the clock behind "
        "the card's previous review."
    ]


def _confirm() -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input("Save the fitted parameters to config.toml? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def cmd_optimize(args: argparse.Namespace) -> int:
    """Fit, show old and new parameters and their effect, then save if confirmed."""
    svc = service(args)
    config = svc.config
    rows = [
        (r.item, r.at, r.rating)
        for r in svc.store.reviews()
        if r.due is not None and r.mode != "practice"
    ]
    reviews = logged_reviews(rows, lambda at: svc.clock.study_day(at, config.day_starts_at))
    try:
        result = fit(
            reviews,
            config.parameters,
            retention=config.desired_retention,
            deck_size=len(svc.items),
            new_per_day=config.new_per_day,
            reviews_per_day=config.reviews_per_day,
        )
    except FittingError as exc:
        raise CommandError(str(exc)) from None
    if not args.json:
        print(_report(result, config.desired_retention))
    save = not args.dry_run and (args.yes or (not args.json and _confirm()))
    if save:
        try:
            save_parameters(svc.paths.config, result.new)
        except FittingError as exc:
            raise CommandError(str(exc)) from None
    if args.json:
        print(
            json.dumps(
                {
                    "reviews": result.reviews,
                    "cards": result.items,
                    "set_aside": result.set_aside,
                    "old": list(result.old),
                    "new": list(result.new),
                    "log_loss": [result.before.log_loss, result.after.log_loss],
                    "rmse": [result.before.rmse, result.after.rmse],
                    "reviews_per_day": [result.daily_before, result.daily_after],
                    "saved": save,
                },
                indent=2,
            )
        )
    elif save:
        print(f"Saved to {svc.paths.config}.")
    elif args.dry_run:
        print("Nothing saved (--dry-run).")
    else:
        print("Nothing saved: run 'study optimize --yes' to save them.")
    return 0
