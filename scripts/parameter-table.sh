#!/usr/bin/env bash
# Measures one KS + PBS (1 thread, one batch) for the optimizer's choice and Concrete's published
# choice at p = 1…8, both in this runtime, and prints JSON lines: {"who":…, "bits":…, <fhec pbs --json>}.
# Used for docs/parameters.md. Needs a release build: swift build -c release.
set -euo pipefail
fhec=.build/release/fhec
# Concrete's table (failure 6.3e-5 per lookup): n k N pbs_levels pbs_base_log ks_levels ks_base_log
concrete=(
  "592 5 256 1 15 3 3" "700 5 256 1 15 3 4" "722 3 512 1 18 3 4" "801 2 1024 1 23 3 4"
  "783 1 2048 1 23 5 3" "880 1 4096 1 22 4 4" "915 1 8192 1 22 6 3" "1006 1 16384 2 15 5 4"
)
for bits in 1 2 3 4 5 6 7 8; do
  trials=$(( bits <= 6 ? 32 : (bits == 7 ? 16 : 8) ))
  read -r n k N pl pb kl kb <<< "${concrete[$((bits - 1))]}"
  # Our choice at Concrete's own failure probability for this precision (6.3e-5 per lookup).
  ours=$($fhec params --bits "$bits" --p-error 6.3e-5 --json)
  read -r on ok oN opl opb okl okb < <(python3 -c 'import json,sys; p=json.loads(sys.argv[1])["params"]; print(p["n"],p["k"],p["N"],p["pbs_levels"],p["pbs_base_log"],p["ks_levels"],p["ks_base_log"])' "$ours")
  for who in ours concrete; do
    if [[ $who == ours ]]; then set -- "$on" "$ok" "$oN" "$opl" "$opb" "$okl" "$okb"; else set -- "$n" "$k" "$N" "$pl" "$pb" "$kl" "$kb"; fi
    result=$($fhec pbs --bits "$bits" --threads 1 --trials "$trials" --json \
      --n "$1" --k "$2" --N "$3" --pbs-levels "$4" --pbs-base-log "$5" --ks-levels "$6" --ks-base-log "$7" || true)
    echo "{\"who\":\"$who\",\"bits\":$bits,\"run\":$result}"
  done
done
