"""Cross-article comparison: articles in, stages over records, a report with a conflict matrix and clusters."""
