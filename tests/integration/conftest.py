from tests.integration.questionnaire_helpers import open_round  # noqa: F401  (fixture)
