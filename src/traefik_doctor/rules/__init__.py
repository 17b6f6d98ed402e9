"""Static rules: one module per code; ``registry.RULES`` lists them explicitly."""
