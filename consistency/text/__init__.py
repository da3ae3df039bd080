"""Text in, claims out: reading files and stdin, segmentation into claims, shorter readings of a claim."""
