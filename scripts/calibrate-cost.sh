#!/usr/bin/env bash
# Measures one KS + PBS (1 thread, batches of 32) for a spread of parameter sets, three runs each,
# and prints JSON lines of `fhec pbs --json`: the data behind CostModel's weights (docs/parameters.md).
# Needs a release build: swift build -c release.
set -euo pipefail
fhec=.build/release/fhec
# bits n k N pbs_levels pbs_base_log ks_levels ks_base_log
sets=(
  "1 592 5 256 1 15 3 3" "2 700 5 256 1 15 3 4" "2 701 3 512 1 18 2 5" "3 722 3 512 1 18 3 4"
  "3 738 2 1024 1 23 3 4" "4 801 2 1024 1 23 3 4" "4 822 2 1024 1 23 3 5" "4 866 1 2048 1 23 5 3"
  "5 783 1 2048 1 23 5 3" "5 849 1 2048 1 23 3 5" "6 880 1 4096 1 22 4 4" "4 700 6 256 1 15 4 3"
  "7 915 1 8192 1 22 6 3" "7 1016 1 8192 1 23 3 6" "3 650 4 512 1 17 3 4" "2 760 1 1024 1 23 2 6"
)
for run in 1 2 3; do
  for set in "${sets[@]}"; do
    read -r bits n k N pl pb kl kb <<< "$set"
    $fhec pbs --bits "$bits" --threads 1 --trials 32 --json \
      --n "$n" --k "$k" --N "$N" --pbs-levels "$pl" --pbs-base-log "$pb" --ks-levels "$kl" --ks-base-log "$kb" || true
  done
done
