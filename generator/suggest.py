"""Link suggestions (placeholder until step 2)."""


def suggest_into(document, data):
    return None
