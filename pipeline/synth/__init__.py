"""Synthetic contracts: realistic invented cloud-service contracts with true records.

`generate.generate(seed, index, error_rate)` draws one contract: a style
(style.py: label synonyms, layout choices, layout variants and families), its facts (facts.py, drawing on
catalog.py, parties.py and penalties.py), optional planted inconsistencies
(errors.py), a layout-neutral document (compose.py with tabulate.py,
boilerplate.py and textforms.py, producing model.py blocks) and its true record
(truth.py). The renderers write the document as OCR-like text (render_text.py),
a text-layer PDF (render_pdf.py) or a scanned PDF (scan.py);
`generate.write_batch` writes a folder of them with the `truth/` folder the
scorer reads.
"""
