"""Exchange formats for terminology offices and reviewers: TBX, CSV and XLSX, one module per format.

Each adapter reads or writes the model (:mod:`glossary.model`) and nothing else; matching another
glossary onto ours (:mod:`.matching`), the review round trip (:mod:`.review`) and the comparison
(:mod:`.compare`) sit on top of them. Nothing here writes term files except through the one
path import-po uses (:mod:`.apply`).
"""
