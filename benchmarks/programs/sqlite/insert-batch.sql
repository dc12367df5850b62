-- One transaction of the workload's inserts: the next 10,000 orders after those already stored.
BEGIN;
WITH RECURSIVE n(i) AS (SELECT (SELECT count(*) FROM orders) + 1 UNION ALL SELECT i + 1 FROM n WHERE i % 10000 != 0)
INSERT INTO orders
SELECT i, 1 + (i * 7919) % 20000, 1 + (i * 104729) % 500, i % 365, 1 + i % 9, (i % 5) * 0.05,
       CASE WHEN i % 17 = 0 THEN 'gift ' || (i % 101) END
FROM n;
COMMIT;
