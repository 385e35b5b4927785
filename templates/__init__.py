"""The built-in templates, shipped inside briefgen as the package `briefgen.templates`.

They stay here, in the project's top-level templates/ folder where a template author edits them;
pyproject.toml maps this folder into the package, so a clone (an editable install) and an installed
wheel find them the same way: importlib.resources.files("briefgen.templates").
"""
