"""Review pages for auditors: local web pages over the findings the pipeline stored.

`app` builds the Starlette application; `access` guards it (session, CSRF
token, sign-in gate, Host names) and `auth` keeps the reviewers and their
password hashes. `queries` reads and writes the database, `search` folds text
for width-blind search, `record_paths` turns a record's JSON paths into table
rows, `source` renders a cited page or reads a text file, `page_boxes` places the
cited boxes on a page image, `snippets` marks a value in its source text,
`descriptions` says what each check means and `labels` names the stored codes in
Chinese; `templates/` holds the Jinja2 pages. `contracts review` serves them.
"""
