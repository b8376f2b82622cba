"""Value normalization: parsers and formatters for amounts, dates and other field values."""
