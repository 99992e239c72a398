#!/bin/bash
# A kvsim capacity sweep as a Slurm job array: array task i runs slice i/N of the grid (`kvsim sweep
# --shard i/N`: the points whose index ≡ i mod N) into its own directory; a dependent job merges the slices
# into exactly what one process would have written.
#
#   sbatch docs/slurm/sweep-array.sh sweep.yaml results/        # submits the array and the merge
#
# Slices are 0-based, so the array is 0..N-1. A failed task leaves only rows.partial.jsonl (never the final
# files) and the merge, which runs only if every task succeeded (afterok), refuses an unfinished slice.
#
# kvsim on the compute nodes, either way:
# - the image built from docs/Dockerfile, through Apptainer: `apptainer build kvsim.sif docker-daemon://kvsim:0.1.0`,
#   then submit with KVSIM_IMAGE=/shared/path/kvsim.sif in the environment (sbatch passes it on);
# - the packed tarball installed on a shared filesystem with Node 20:
#   `npm install --global --prefix /shared/kvsim kvsim-0.1.0.tgz` and /shared/kvsim/bin on PATH.
#SBATCH --job-name=kvsim-sweep
#SBATCH --array=0-7               # N = 8 slices: keep SLICES below in step
#SBATCH --cpus-per-task=8         # kvsim runs one thread per core it is given
#SBATCH --mem=8G                  # trace + ~100 MiB per thread
#SBATCH --time=12:00:00
#SBATCH --output=%x-%A_%a.log
set -euo pipefail

SLICES=8
GRID=${1:?usage: sbatch sweep-array.sh GRID.yaml OUT_DIR}
OUT=${2:?usage: sbatch sweep-array.sh GRID.yaml OUT_DIR}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  echo "submit with sbatch (this script runs as one task of a job array)" >&2
  exit 2
fi

KVSIM="kvsim"
if [ -n "${KVSIM_IMAGE:-}" ]; then KVSIM="apptainer exec ${KVSIM_IMAGE} kvsim"; fi

$KVSIM sweep --grid "$GRID" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLICES}" \
  --out "${OUT}/slice-${SLURM_ARRAY_TASK_ID}" \
  --threads "${SLURM_CPUS_PER_TASK:-auto}" --quiet

# Task N-1 submits the merge; it runs once every task of the array has succeeded (and is cancelled if one
# failed for good, rather than waiting forever).
if [ "${SLURM_ARRAY_TASK_ID}" -eq "$((SLICES - 1))" ]; then
  dirs=$(for i in $(seq 0 $((SLICES - 1))); do printf '%s ' "${OUT}/slice-${i}"; done)
  sbatch --job-name=kvsim-sweep-merge --dependency="afterok:${SLURM_ARRAY_JOB_ID}" --kill-on-invalid-dep=yes \
    --output="%x-%j.log" --wrap="${KVSIM} merge ${dirs} --out ${OUT}/merged"
fi
