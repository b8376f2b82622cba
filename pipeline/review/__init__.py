"""Review pages for auditors: local web pages over the findings the pipeline stored.

`app` builds the Starlette application, `queries` reads and writes the database,
`record_paths` turns a record's JSON paths into table rows, `snippets` marks a
value in its evidence snippet, `descriptions` says what each check means, and
`templates/` holds the Jinja2 pages. `contracts review` serves them.
"""
