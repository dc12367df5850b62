-- The SQLite shell benchmark: an order book of 120,000 orders (140,000 rows in all) in a database
-- file, inserted in transactions, indexed, queried (group-by, joins, window functions), updated and
-- pruned.
-- Run from this directory, preopened as ".":   sqlite3 < workload.sql
-- Values derive from row numbers by integer arithmetic (no random()), so every engine prints the
-- same; floating-point sums are rounded.
.bail on
.open --new bench.db
PRAGMA synchronous = OFF;
PRAGMA cache_size = -32768;

CREATE TABLE region (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, region INTEGER NOT NULL REFERENCES region,
                       since INTEGER NOT NULL);
CREATE TABLE product (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customer,
                     product INTEGER NOT NULL REFERENCES product, day INTEGER NOT NULL, quantity INTEGER NOT NULL,
                     discount REAL NOT NULL, note TEXT);

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO region SELECT i, 'region-' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO product SELECT i, printf('product-%04d', i), 'category-' || (i * 7 % 23), (i * 37 % 1000) / 10.0 + 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO customer SELECT i, printf('customer-%05d', i * 7919 % 20000), 1 + i * 13 % 12, i * 31 % 3650 FROM n;
COMMIT;

-- 120,000 orders, 10,000 per transaction.
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
.read insert-batch.sql
SELECT 'orders', count(*), sum(quantity) FROM orders;

CREATE INDEX orders_customer ON orders (customer);
CREATE INDEX orders_product_day ON orders (product, day);
CREATE INDEX customer_region ON customer (region);

-- Group-by over a three-way join: revenue per region.
SELECT r.name, count(*), round(sum(o.quantity * p.price * (1 - o.discount)), 2)
FROM orders o JOIN customer c ON c.id = o.customer JOIN region r ON r.id = c.region JOIN product p ON p.id = o.product
GROUP BY r.id ORDER BY r.id;

-- Categories whose average order is above the overall average.
SELECT p.category, count(*), round(avg(o.quantity * p.price), 3)
FROM orders o JOIN product p ON p.id = o.product
GROUP BY p.category
HAVING avg(o.quantity * p.price) > (SELECT avg(o2.quantity * p2.price) FROM orders o2 JOIN product p2 ON p2.id = o2.product)
ORDER BY 3 DESC, 1;

-- Window functions: the three best customers of each region, by spend.
WITH spend AS (
    SELECT c.region, c.id, sum(o.quantity * p.price) AS total
    FROM orders o JOIN customer c ON c.id = o.customer JOIN product p ON p.id = o.product
    GROUP BY c.id),
ranked AS (
    SELECT region, id, total, rank() OVER (PARTITION BY region ORDER BY total DESC, id) AS position FROM spend)
SELECT region, position, id, round(total, 2) FROM ranked WHERE position <= 3 ORDER BY region, position;

-- Window functions: a seven-day moving average per product, and each day's change against the previous.
SELECT count(*), round(sum(moving), 3), sum(change)
FROM (SELECT avg(daily) OVER (PARTITION BY product ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS moving,
             daily - lag(daily, 1, 0) OVER (PARTITION BY product ORDER BY day) AS change
      FROM (SELECT product, day, sum(quantity) AS daily FROM orders GROUP BY product, day));

-- Updates through subqueries and an index.
UPDATE orders SET discount = discount + 0.1 WHERE product IN (SELECT id FROM product WHERE category = 'category-3');
UPDATE product SET price = round(price * 1.05, 2) WHERE id % 10 = 0;
UPDATE orders SET note = coalesce(note, '') || ' late' WHERE day BETWEEN 300 AND 310;

-- Deletes: a day in thirteen, and the orders of the oldest customers.
DELETE FROM orders WHERE day % 13 = 0;
DELETE FROM orders WHERE customer IN (SELECT id FROM customer WHERE since < 100);

-- Anti-join, text matching and the final state.
SELECT count(*) FROM customer c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.id);
SELECT count(*), sum(length(note)) FROM orders WHERE note LIKE 'gift 1%' OR note LIKE '% late';
SELECT 'orders', count(*), sum(quantity), round(sum(quantity * discount), 2) FROM orders;
