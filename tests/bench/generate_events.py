#!/usr/bin/env python3
"""Writes N valid, varied events for one region as NDJSON (for benchmarks): the parties,
monthly listings, then payments, overhead compensation, internal charges, shared costs,
commitment costs and service purchases spread over the months. Deterministic for a seed.
With --schemes, every scheme has its own parties (ids suffixed -tand, -fot and -fysio; none
for primary_care) and listings, and each event goes to a scheme drawn at random; with the
default (primary_care alone) the output is what it always was."""
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
    parser.add_argument("--schemes", default="primary_care",
                        help="comma separated: primary_care, dental_child_youth, foot_care, physiotherapy")
    args = parser.parse_args()
    schemes = args.schemes.split(",")
    known = {"primary_care", "dental_child_youth", "foot_care", "physiotherapy"}
    if not schemes or any(s not in known for s in schemes):
        parser.error(f"--schemes: each of {args.schemes!r} must be one of {', '.join(sorted(known))}")
    rng = random.Random(args.seed)
    out = sys.stdout
    counter = 0

    def emit(kind: str, period: str, data: dict, scheme: str = "primary_care") -> None:
        nonlocal counter
        counter += 1
        event = {
            "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "type": kind, "schema_version": 1, "region": args.region, "scheme": scheme,
            "period": period, "occurred_on": period + "-15",
            "source": {"system": "bench", "reference": f"B-{counter}"},
            "data": data,
        }
        out.write(json.dumps(event, separators=(",", ":"), ensure_ascii=False) + "\n")

    def party(pid: str, kind: str, side: str, scheme: str, ptype: str | None = None) -> None:
        data = {"party_id": pid, "name": pid, "kind": kind, "side": side}
        if ptype:
            data["provider_type"] = ptype
        emit("party.registered", "2022-01", data, scheme)

    suffix = {"primary_care": "", "dental_child_youth": "-tand", "foot_care": "-fot", "physiotherapy": "-fysio"}

    def named(pid: str, scheme: str) -> str:
        return pid + suffix[scheme]

    provider_type = {"primary_care": "health_centre", "dental_child_youth": "dental_clinic",
                     "foot_care": "health_centre", "physiotherapy": "health_centre"}
    base_providers = [f"hc-rr-{i:02d}" for i in range(21)] + [f"hc-pr-{i:02d}" for i in range(7)]
    for scheme in schemes:
        party(named("halsoval-bestallare", scheme), "organisation", "purchaser", scheme)
        party(named("regionens-centrala", scheme), "organisation", "central", scheme)
        party(named("egen-regi-primarvard", scheme), "organisation", "region_run", scheme)
        party(named("efrikort-leverantor", scheme), "vendor", "external", scheme)
        for p in base_providers:
            party(named(p, scheme), "provider", "region_run" if "-rr-" in p else "private", scheme,
                  provider_type[scheme])
    months = [f"2022-{m:02d}" for m in range(1, 13)]
    for scheme in schemes:
        for month in months:
            for p in base_providers:
                listed = rng.randint(2000, 9000)
                emit("listing.recorded", month, {"provider_id": named(p, scheme), "listed": listed,
                                                 "weighted_listed": f"{listed * rng.uniform(0.8, 1.3):.4f}"}, scheme)
    while counter < args.events:
        scheme = schemes[0] if len(schemes) == 1 else rng.choice(schemes)
        providers = [named(p, scheme) for p in base_providers]
        purchaser = named("halsoval-bestallare", scheme)
        central = named("regionens-centrala", scheme)
        region_run = named("egen-regi-primarvard", scheme)
        month = rng.choice(months)
        provider = rng.choice(providers)
        roll = rng.random()
        amount = f"{rng.randint(100, 5_000_000)}.{rng.randint(0, 99):02d}"
        if roll < 0.80:
            emit("payment.made", month, {"payer_id": purchaser, "provider_id": provider,
                                         "component": rng.choice(["capitation", "variable", "supplementary"]),
                                         "amount": amount}, scheme)
        elif roll < 0.88:
            emit("internal_charge.booked", month, {"charged_by": central,
                                                   "party_id": rng.choice(providers[:21]),
                                                   "category": "helpdesk", "amount": amount}, scheme)
        elif roll < 0.94:
            emit("overhead.compensated", month, {"payer_id": purchaser,
                                                 "provider_id": rng.choice(providers[21:]),
                                                 "category": "it", "amount": amount}, scheme)
        elif roll < 0.97:
            emit("commitment.cost_incurred", month, {"commitment": "on_call_coordination",
                                                     "borne_by": region_run, "amount": amount}, scheme)
        else:
            emit("shared_cost.incurred", month, {
                "service": "e_frikort", "vendor_id": named("efrikort-leverantor", scheme), "amount": amount,
                "paid_by": [{"party_id": region_run, "share": "0.5"},
                            {"party_id": central, "share": "0.5"}],
                "allocation": {"key": "listed", "beneficiaries": "all_providers"}}, scheme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
