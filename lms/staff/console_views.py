"""Staff console pages: cohorts, imports, curation, dashboard, ranking, exports, audit log."""
