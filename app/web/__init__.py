"""Flask glue the blueprints share: errors, security, templating, languages, mail, permissions, form fields."""
