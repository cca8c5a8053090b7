"""Staff pages for allocating participants to mentors (routes on the staff blueprint)."""
