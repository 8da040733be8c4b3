"""`transcheck serve`: the same checks as `check`, run from a local web page and an HTTP API.

config.py holds the settings and the safety rules, store.py the SQLite index and the files under
the data folder, worker.py the processes that run `transcheck.pipeline.check`, downloads.py the
evidence pack, the PDF and the reviewed report, app.py the Starlette routes and pages.py their
templates. Starlette, uvicorn and python-multipart come with the `serve` extra and are imported only
here.
"""
