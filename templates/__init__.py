"""The report's jinja2 templates and assets, installed as the package `transcheck.templates`."""
