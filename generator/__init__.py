"""Generator for the IP plans reference site: load → validate → index → render.

The core modules import nothing from MkDocs; `generator.mkdocs_hook` is the only adapter.
"""
