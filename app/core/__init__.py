"""Pure code: the framework, scoring, rigour, comparison, file readers, the report's content. No Flask, no database."""
