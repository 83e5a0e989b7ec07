#!/usr/bin/env python3
"""Writes N valid, varied events for one region as NDJSON (for benchmarks): the parties,
monthly listings, then payments, overhead compensation, internal charges, shared costs,
commitment costs and service purchases spread over the months. Deterministic for a seed."""
import argparse
import json
import random
import sys
import uuid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--region", default="SE-Z")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    counter = 0

    def emit(kind: str, period: str, data: dict) -> None:
        nonlocal counter
        counter += 1
        event = {
            "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "type": kind, "schema_version": 1, "region": args.region, "scheme": "primary_care",
            "period": period, "occurred_on": period + "-15",
            "source": {"system": "bench", "reference": f"B-{counter}"},
            "data": data,
        }
        out.write(json.dumps(event, separators=(",", ":"), ensure_ascii=False) + "\n")

    def party(pid: str, kind: str, side: str, ptype: str | None = None) -> None:
        data = {"party_id": pid, "name": pid, "kind": kind, "side": side}
        if ptype:
            data["provider_type"] = ptype
        emit("party.registered", "2022-01", data)

    party("halsoval-bestallare", "organisation", "purchaser")
    party("regionens-centrala", "organisation", "central")
    party("egen-regi-primarvard", "organisation", "region_run")
    party("efrikort-leverantor", "vendor", "external")
    providers = [f"hc-rr-{i:02d}" for i in range(21)] + [f"hc-pr-{i:02d}" for i in range(7)]
    for p in providers:
        party(p, "provider", "region_run" if "-rr-" in p else "private", "health_centre")
    months = [f"2022-{m:02d}" for m in range(1, 13)]
    for month in months:
        for p in providers:
            listed = rng.randint(2000, 9000)
            emit("listing.recorded", month, {"provider_id": p, "listed": listed,
                                             "weighted_listed": f"{listed * rng.uniform(0.8, 1.3):.4f}"})
    while counter < args.events:
        month = rng.choice(months)
        provider = rng.choice(providers)
        roll = rng.random()
        amount = f"{rng.randint(100, 5_000_000)}.{rng.randint(0, 99):02d}"
        if roll < 0.80:
            emit("payment.made", month, {"payer_id": "halsoval-bestallare", "provider_id": provider,
                                         "component": rng.choice(["capitation", "variable", "supplementary"]),
                                         "amount": amount})
        elif roll < 0.88:
            emit("internal_charge.booked", month, {"charged_by": "regionens-centrala",
                                                   "party_id": rng.choice(providers[:21]),
                                                   "category": "helpdesk", "amount": amount})
        elif roll < 0.94:
            emit("overhead.compensated", month, {"payer_id": "halsoval-bestallare",
                                                 "provider_id": rng.choice(providers[21:]),
                                                 "category": "it", "amount": amount})
        elif roll < 0.97:
            emit("commitment.cost_incurred", month, {"commitment": "on_call_coordination",
                                                     "borne_by": "egen-regi-primarvard", "amount": amount})
        else:
            emit("shared_cost.incurred", month, {
                "service": "e_frikort", "vendor_id": "efrikort-leverantor", "amount": amount,
                "paid_by": [{"party_id": "egen-regi-primarvard", "share": "0.5"},
                            {"party_id": "regionens-centrala", "share": "0.5"}],
                "allocation": {"key": "listed", "beneficiaries": "all_providers"}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
