-- Planner statistics for the partial indexes of 0019: PostgreSQL estimates
-- a partial index from the table's column statistics, which a sample of
-- cases refreshes (SQLite's migration analyses each index).
ANALYZE cases;
