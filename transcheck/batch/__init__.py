"""Many briefings: run `check` on every job of a batch, resume what was done, record what failed.

One job per module: `inputs` finds the jobs (a folder or a manifest), `worker` checks one briefing,
`outputs` writes its reports and tells what is already done (resume), `driver` runs the batch
(`run_batch`), `index` writes the overview, and `local` and `ray` are the executors. `types` holds
what they pass between them. Nothing is imported here: a local worker process imports `local`
and must set its thread variables before numpy is loaded.
"""
