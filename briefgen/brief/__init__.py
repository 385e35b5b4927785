"""The brief: one topic's tables, figures, HTML and PDF, from a gathered corpus.

In order: catalogue (the brief types their templates declare) → tables (comparisons, findings,
mechanisms, profiles, glossary) → figures (matplotlib SVG, drawn in a second process) → compose
(Jinja2 + Markdown → HTML) → render (WeasyPrint → PDF, with the CJK font from fonts).
"""
