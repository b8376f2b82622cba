"""`make demo`'s closing report: what the run found, read back from the database.

Prints the contracts with their parties and totals, and the open findings an
auditor would review, straight from the tables the data team queries.
"""
from __future__ import annotations

import sys

import pandas as pd
from sqlalchemy import create_engine

CONTRACTS = """
SELECT d.path AS file, c.title, c.total_amount,
       (SELECT count(*) FROM line_items li WHERE li.contract_id = c.id) AS line_items,
       (SELECT p.name FROM parties p WHERE p.contract_id = c.id AND p.role = 'supplier') AS supplier
FROM contracts c JOIN documents d ON d.id = c.document_id
ORDER BY d.path
"""
FINDINGS = """
SELECT document_path AS file, check_code, subject, expected, found
FROM v_open_findings WHERE severity = 'error' ORDER BY document_path, subject
"""


def main(url: str) -> None:
    engine = create_engine(url)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 40)
    with engine.connect() as connection:
        contracts = pd.read_sql(CONTRACTS, connection)
        findings = pd.read_sql(FINDINGS, connection)
    print(f"\n{len(contracts)} contracts in {url}:\n")
    print(contracts.to_string(index=False))
    print(f"\n{len(findings)} open findings for review (v_open_findings):\n")
    print(findings.to_string(index=False) if len(findings) else "(none)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite:///demo.db")
