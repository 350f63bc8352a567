# The Spark example's CI step, for .ci/run to `source` from the repository root
# after bindings/python/ci.sh (whose wheel it reuses). Under .ci/run's `set
# -euo pipefail` a difference stops the run. See examples/spark/README.md.
echo "== spark: the re-evaluation job on a two-worker cluster against eval --batch (tests/spark/run.sh)"
bash tests/spark/run.sh "${SPARK_CI_INVOICES:-20000}"
