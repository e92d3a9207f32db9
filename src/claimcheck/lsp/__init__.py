"""``claimcheck server``: the Language Server Protocol over stdio, so editors show findings as the writer
types (diagnostics), explain them (hover) and fix or suppress them (code actions).

It needs the optional ``lsp`` extra (pygls and lsprotocol); :data:`INSTALL_HINT` says how to install it.
"""

INSTALL_HINT = ("the language server needs pygls and lsprotocol: install claimcheck with its 'lsp' extra, "
                "e.g. pip install 'claimcheck-lint[lsp]' (or pipx install '.[lsp]' from a clone)")
