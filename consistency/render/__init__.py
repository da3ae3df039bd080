"""Report formats: JSON, terminal text, Markdown and HTML for single-article and cross-article reports."""
