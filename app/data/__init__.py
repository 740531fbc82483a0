"""Models and every query. Uses the database session; never the request, the signed-in person, flash or url_for."""
