/**
 * Statements the SQL guard must refuse and queries it must let through, shared by its unit
 * tests and by executor tests that run the corpus against real sources. Hostile entries
 * name the dialects where they apply (all three when absent) and the reason expected.
 * The tables a query may read here are `orders`, `customers` and `Line Items`.
 */
import type { SqlRefusalReason } from "./sql-guard.errors.js";
import type { SqlDialect } from "./sql-guard.js";

export interface HostileStatement {
  sql: string;
  reason: SqlRefusalReason;
  dialects?: SqlDialect[];
}

const DUCKDB_PG: SqlDialect[] = ["duckdb", "postgresql"];
const DUCKDB: SqlDialect[] = ["duckdb"];
const MYSQL: SqlDialect[] = ["mysql"];

export const hostileStatements: HostileStatement[] = [
  // Writes and DDL
  { sql: "insert into orders values (99, 1, 1.00, 'paid', now())", reason: "not_select" },
  { sql: "update orders set amount = 0", reason: "not_select" },
  { sql: "delete from orders", reason: "not_select" },
  { sql: "drop table orders", reason: "not_select" },
  { sql: "create table stolen as select * from orders", reason: "not_select" },
  { sql: "alter table orders add column note text", reason: "not_select" },
  { sql: "truncate orders", reason: "not_select" },
  { sql: "grant select on orders to public", reason: "not_select" },
  {
    sql: "merge into orders o using customers c on o.id = c.id when matched then delete",
    reason: "not_select",
  },
  { sql: "replace into orders values (1, 1, 1.00, 'paid', now())", reason: "not_select", dialects: MYSQL },
  { sql: "with gone as (delete from orders returning *) select * from gone", reason: "not_select" },
  { sql: "with x as (select 1) delete from orders", reason: "not_select" },
  { sql: "with x as (select * from customers) insert into orders select * from x", reason: "not_select" },
  {
    sql: "select * from orders where id in (select id from (update orders set amount = 0 returning id) u)",
    reason: "not_select",
  },
  { sql: "explain analyze select * from orders", reason: "not_select" },
  { sql: "vacuum", reason: "not_select", dialects: DUCKDB_PG },
  { sql: "checkpoint", reason: "not_select", dialects: DUCKDB_PG },
  { sql: "call pg_sleep(10)", reason: "not_select" },
  { sql: "do sleep(10)", reason: "not_select", dialects: MYSQL },
  { sql: "handler orders open", reason: "not_select", dialects: MYSQL },
  { sql: "load data infile '/etc/passwd' into table orders", reason: "not_select", dialects: MYSQL },
  // DuckDB's doors to the file system and to other databases
  { sql: "attach '/data/workspaces/other/warehouse.duckdb' as other", reason: "not_select" },
  { sql: "detach other", reason: "not_select" },
  { sql: "install httpfs", reason: "not_select" },
  { sql: "load httpfs", reason: "not_select" },
  { sql: "pragma database_list", reason: "not_select" },
  { sql: "set enable_external_access = true", reason: "not_select" },
  { sql: "reset enable_external_access", reason: "not_select" },
  { sql: "copy orders to '/tmp/orders.csv'", reason: "not_select" },
  { sql: "copy (select * from orders) to '/tmp/orders.parquet' (format parquet)", reason: "not_select" },
  { sql: "export database '/tmp/dump'", reason: "not_select" },
  { sql: "import database '/data/workspaces/other'", reason: "not_select" },
  { sql: "use other", reason: "not_select" },
  // More than one statement, however it is dressed up
  { sql: "select 1; drop table orders", reason: "multiple_statements" },
  { sql: "select * from orders; delete from orders;", reason: "multiple_statements" },
  { sql: "select 1 --\n; delete from orders", reason: "multiple_statements" },
  { sql: "select 1 /* hidden */; drop table orders", reason: "multiple_statements" },
  { sql: "select 1 /* ; */ ; update orders set amount = 0", reason: "multiple_statements" },
  { sql: "select 'x' -- '\n; drop table orders", reason: "multiple_statements" },
  { sql: "select 1 -- comment\r; delete from orders", reason: "multiple_statements", dialects: DUCKDB_PG },
  { sql: "select 1 /* /* nested */ ; drop table orders */", reason: "multiple_statements", dialects: MYSQL },
  { sql: "select 1 # note\n; drop table orders", reason: "multiple_statements", dialects: MYSQL },
  { sql: "SELECT * FROM ORDERS;\nDROP TABLE ORDERS", reason: "multiple_statements" },
  // Text the parser and the database could read differently
  { sql: "select 'a\\' , pg_sleep(10) --'", reason: "ambiguous_syntax" },
  { sql: "select 'x\\' from pg_shadow --'", reason: "ambiguous_syntax" },
  { sql: "select 1 --sleep(10)", reason: "ambiguous_syntax", dialects: MYSQL },
  { sql: "select /*!50000 sleep(10) */ 1", reason: "ambiguous_syntax", dialects: MYSQL },
  { sql: "select /*M!100000 sleep(10) */ 1", reason: "ambiguous_syntax", dialects: MYSQL },
  { sql: "select $$x$$", reason: "ambiguous_syntax", dialects: DUCKDB_PG },
  { sql: "do $$ begin perform pg_sleep(10); end $$", reason: "ambiguous_syntax", dialects: DUCKDB_PG },
  { sql: "select 1\u0000; drop table orders", reason: "ambiguous_syntax" },
  // Side-effect, sleep, lock and session functions, wherever they hide
  { sql: "SeLeCt pg_SLEEP(10)", reason: "forbidden_function" },
  { sql: "select pg_catalog.pg_sleep(10)", reason: "forbidden_function" },
  { sql: "select PG_CATALOG.PG_SLEEP_FOR('10 seconds')", reason: "forbidden_function" },
  { sql: 'select "pg_sleep"(10)', reason: "forbidden_function" },
  { sql: "select pg_sleep/**/(10)", reason: "forbidden_function" },
  { sql: "select pg_sleep\n(10)", reason: "forbidden_function" },
  { sql: "select * from orders where id = (select pg_sleep(1))", reason: "forbidden_function" },
  { sql: "with x as (select pg_sleep(1) as s) select * from x", reason: "forbidden_function" },
  { sql: "select case when id > 1 then pg_sleep(1) else 0 end from orders", reason: "forbidden_function" },
  { sql: "select coalesce(null, upper(pg_read_file('/etc/passwd')))", reason: "forbidden_function" },
  {
    sql: "select * from orders o join customers c on c.id = o.customer_id and pg_sleep(1) is not null",
    reason: "forbidden_function",
  },
  {
    sql: "select customer_id from orders group by customer_id having count(pg_sleep(1)) > 0",
    reason: "forbidden_function",
  },
  { sql: "select id from orders order by pg_sleep(1)", reason: "forbidden_function" },
  {
    sql: "select id from orders where id in (select id from orders where exists (select 1 where pg_sleep(1) is null))",
    reason: "forbidden_function",
  },
  { sql: "select pg_read_file('/etc/passwd')", reason: "forbidden_function" },
  { sql: "select pg_read_binary_file('/etc/passwd')", reason: "forbidden_function" },
  { sql: "select pg_ls_dir('.')", reason: "forbidden_function" },
  { sql: "select pg_stat_file('/etc/passwd')", reason: "forbidden_function" },
  { sql: "select lo_import('/etc/passwd')", reason: "forbidden_function" },
  { sql: "select lo_export(1234, '/tmp/x')", reason: "forbidden_function" },
  { sql: "select set_config('statement_timeout', '0', false)", reason: "forbidden_function" },
  { sql: "select current_setting('data_directory')", reason: "forbidden_function" },
  { sql: "select pg_terminate_backend(1)", reason: "forbidden_function" },
  { sql: "select pg_cancel_backend(1)", reason: "forbidden_function" },
  { sql: "select pg_reload_conf()", reason: "forbidden_function" },
  { sql: "select pg_advisory_lock(1)", reason: "forbidden_function" },
  { sql: "select nextval('orders_id_seq')", reason: "forbidden_function" },
  { sql: "select setval('orders_id_seq', 1)", reason: "forbidden_function" },
  { sql: "select txid_current()", reason: "forbidden_function" },
  { sql: "select pg_notify('channel', 'payload')", reason: "forbidden_function" },
  { sql: "select dblink_exec('dbname=other', 'drop table orders')", reason: "forbidden_function" },
  { sql: "select query_to_xml('select * from pg_shadow', true, true, '')", reason: "forbidden_function" },
  { sql: "select load_file('/etc/passwd')", reason: "forbidden_function" },
  { sql: "select sleep(10)", reason: "forbidden_function" },
  { sql: "select benchmark(100000000, md5('x'))", reason: "forbidden_function" },
  { sql: "select get_lock('x', 10)", reason: "forbidden_function" },
  { sql: "select release_lock('x')", reason: "forbidden_function" },
  { sql: "select `sleep`(10)", reason: "forbidden_function", dialects: MYSQL },
  { sql: "select getenv('HOME')", reason: "forbidden_function" },
  { sql: "select sleep_ms(10000)", reason: "forbidden_function" },
  { sql: "select o.sleep_ms() from orders o", reason: "forbidden_function", dialects: DUCKDB },
  // Table functions and files in FROM: DuckDB readers, catalog functions, other workspaces
  { sql: "select * from read_csv('/etc/passwd')", reason: "table_function", dialects: DUCKDB_PG },
  {
    sql: "select * from read_csv_auto('/data/workspaces/other/orders.csv')",
    reason: "table_function",
    dialects: DUCKDB_PG,
  },
  {
    sql: "select * from read_parquet('/data/workspaces/*/*.parquet')",
    reason: "table_function",
    dialects: DUCKDB_PG,
  },
  { sql: "select * from parquet_scan('/data/other.parquet')", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from read_json_auto('/data/other.json')", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from read_text('/etc/passwd')", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from read_blob('/etc/passwd')", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from glob('/data/workspaces/*')", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from sniff_csv('/data/other/x.csv')", reason: "table_function", dialects: DUCKDB_PG },
  {
    sql: "select * from query('select * from duckdb_secrets()')",
    reason: "table_function",
    dialects: DUCKDB_PG,
  },
  { sql: "select * from query_table('orders')", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from duckdb_settings()", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from pragma_table_info('orders')", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from json_each('{\"a\": 1}')", reason: "table_function", dialects: DUCKDB_PG },
  {
    sql: "select * from orders where id in (select * from read_csv('/etc/passwd'))",
    reason: "table_function",
    dialects: DUCKDB_PG,
  },
  { sql: "select (select count(*) from glob('/*')) as n", reason: "table_function", dialects: DUCKDB_PG },
  { sql: "select * from '/data/workspaces/other/orders.csv'", reason: "file_reference" },
  { sql: "select * from orders join '/data/workspaces/other/x.parquet' on true", reason: "file_reference" },
  { sql: "select * from orders, 'orders'", reason: "file_reference" },
  { sql: "select * from orders where id in (select id from '/data/other/x.csv')", reason: "file_reference" },
  { sql: 'select * from "/data/workspaces/other/orders.csv"', reason: "unknown_table", dialects: DUCKDB_PG },
  // Tables outside the workspace, catalogs included
  { sql: "select * from information_schema.tables", reason: "unknown_table" },
  { sql: "sElEcT * fRoM InFoRmAtIoN_sChEmA.TaBlEs", reason: "unknown_table" },
  { sql: "select * from pg_catalog.pg_user", reason: "unknown_table" },
  { sql: "select usename, passwd from pg_shadow", reason: "unknown_table" },
  { sql: "select * from orders o join pg_authid a on true", reason: "unknown_table" },
  { sql: "select * from orders where exists (select 1 from pg_stat_activity)", reason: "unknown_table" },
  { sql: "select * from mysql.user", reason: "unknown_table" },
  { sql: "select * from performance_schema.threads", reason: "unknown_table" },
  { sql: "select * from sqlite_master", reason: "unknown_table" },
  { sql: "select * from duckdb_tables", reason: "unknown_table" },
  { sql: "select * from other_workspace.orders", reason: "unknown_table" },
  { sql: "select * from invoices", reason: "unknown_table" },
  { sql: "with pg_user as (select * from pg_user) select * from pg_user", reason: "unknown_table" },
  {
    sql: "(with pg_user as (select 1 as usename) select usename from pg_user) union select usename from pg_user",
    reason: "unknown_table",
    dialects: DUCKDB_PG,
  },
  {
    sql: "with a as (select * from b), b as (select * from pg_user) select * from a",
    reason: "unknown_table",
  },
  // Writes hidden in a SELECT, row locks, session variables
  { sql: "select * into stolen from orders", reason: "select_into" },
  { sql: "select * from orders into outfile '/tmp/orders.txt'", reason: "select_into" },
  { sql: "select * from orders into dumpfile '/tmp/orders.bin'", reason: "select_into" },
  { sql: "select 1 into @x", reason: "select_into" },
  { sql: "select * from orders for update", reason: "locking_clause" },
  { sql: "select * from orders for share", reason: "locking_clause" },
  { sql: "select * from orders for no key update", reason: "locking_clause" },
  { sql: "select * from orders lock in share mode", reason: "locking_clause" },
  { sql: "select @@datadir", reason: "variable", dialects: MYSQL },
  { sql: "select @total := sum(amount) from orders", reason: "variable", dialects: MYSQL },
  { sql: "select * from orders where id = $1", reason: "variable", dialects: DUCKDB_PG },
  // Nothing, or nothing readable
  { sql: "", reason: "empty" },
  { sql: "  ;  ; ", reason: "empty" },
  { sql: "-- just a comment", reason: "empty" },
  { sql: "select from where", reason: "parse_error" },
  { sql: "select * from orders where (", reason: "parse_error" },
  { sql: "select 'unterminated", reason: "parse_error" },
  { sql: "select 1 /* unterminated", reason: "parse_error" },
  { sql: "ＳＥＬＥＣＴ 1", reason: "not_select" },
];

export interface BenignQuery {
  sql: string;
  dialects: SqlDialect[];
}

/**
 * Analytical queries over `orders (id, customer_id, amount, status, ordered_at)`,
 * `customers (id, name, region, signed_up)` and `"Line Items" ("Order Id", "Unit Price", qty)`.
 * Every DuckDB entry returns at least one row on the unit tests' fixture.
 */
export const benignQueries: BenignQuery[] = [
  { sql: "select * from orders order by id", dialects: ["duckdb", "postgresql", "mysql"] },
  {
    sql: "select id, amount from orders where status = 'paid' order by amount desc, id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select c.name, sum(o.amount) as total from orders o join customers c on c.id = o.customer_id group by c.name order by total desc",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select c.name, coalesce(sum(o.amount), 0) as total from customers c left join orders o on o.customer_id = c.id group by c.name order by c.name",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "with paid as (select * from orders where status = 'paid') select customer_id, count(*) as n from paid group by customer_id order by customer_id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "with per_customer as (select customer_id, sum(amount) as total from orders group by customer_id), ranked as (select customer_id, total, rank() over (order by total desc) as r from per_customer) select * from ranked where r <= 2 order by r, customer_id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "with recursive n(i) as (select 1 union all select i + 1 from n where i < 5) select sum(i) as s from n",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select id, customer_id, row_number() over (partition by customer_id order by amount desc) as rn from orders order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select id, sum(amount) over (order by ordered_at rows between unbounded preceding and current row) as running from orders order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select id, amount - lag(amount) over (order by id) as delta, dense_rank() over (order by status) as status_rank from orders order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select customer_id, count(*) as n, avg(amount) as mean from orders group by customer_id having count(*) > 1 order by customer_id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select date_trunc('month', ordered_at) as month, sum(amount) as total from orders group by 1 order by 1",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select extract(year from ordered_at) as y, extract(month from ordered_at) as m, count(*) as n from orders group by 1, 2 order by 1, 2",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select count(*) as recent from orders where ordered_at >= timestamp '2024-03-01' - interval '30 days'",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select id::varchar as id_text, cast(amount as integer) as whole, amount::double as exact from orders order by id",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select upper(name) as u, lower(name) as l, length(name) as len, substring(name, 1, 3) as prefix, replace(name, 'a', 'o') as swapped, name || '!' as shout, trim('  x  ') as t from customers order by name",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select name from customers where name ilike '%co%' or name like 'U%' order by name",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select name as label from customers union select status from orders order by label",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select customer_id from orders except select id from customers where region = 'EU' order by 1",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select customer_id from orders intersect select id from customers where region = 'US' order by 1",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select name from customers where id in (select customer_id from orders where amount > 100) order by name",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select name from customers c where exists (select 1 from orders o where o.customer_id = c.id and o.status = 'refunded') order by name",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select id, amount, (select avg(amount) from orders) as avg_amount from orders order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select count(distinct customer_id) as buyers, count(*) as orders from orders",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select id, case when amount >= 100 then 'large' when amount >= 50 then 'medium' else 'small' end as size from orders order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: 'select "Order Id", "Unit Price" * qty as "Line Total" from "Line Items" order by "Order Id"',
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select count(*) filter (where status = 'paid') as paid, count(*) as all_orders from orders",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select coalesce(nullif(status, 'paid'), 'ok') as s, greatest(amount, 60) as g, least(amount, 60) as l from orders order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select region, avg(total) as avg_total from (select c.region, o.amount as total from orders o join customers c on c.id = o.customer_id) t group by region order by region",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  { sql: "select g.d from generate_series(1, 3) as g(d) order by g.d", dialects: ["duckdb", "postgresql"] },
  { sql: "select * from unnest(array[1, 2, 3]) as u(x) order by x", dialects: ["duckdb", "postgresql"] },
  { sql: "select * from range(3) as r(i) order by i", dialects: ["duckdb"] },
  { sql: "select id from orders order by id limit 3 offset 1", dialects: ["duckdb", "postgresql", "mysql"] },
  {
    sql: "select customer_id, string_agg(status, ',' order by id) as statuses from orders group by customer_id order by customer_id",
    dialects: ["duckdb", "postgresql"],
  },
  { sql: "select count(*) as n from orders; -- done", dialects: ["duckdb", "postgresql", "mysql"] },
  {
    sql: "/* weekly report */\nselect status, count(*) as n -- per status\nfrom orders\ngroup by status\norder by status -- stable",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select id, avg(amount) over w as avg_w from orders window w as (partition by customer_id) order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select strftime(ordered_at, '%Y-%m') as ym, count(*) as n from orders group by 1 order by 1",
    dialects: ["duckdb"],
  },
  {
    sql: "select datediff('day', min(ordered_at), max(ordered_at)) as span_days from orders",
    dialects: ["duckdb"],
  },
  {
    sql: "select percentile_cont(0.5) within group (order by amount) as median_amount from orders",
    dialects: ["duckdb", "postgresql"],
  },
  {
    sql: "select * from orders where customer_id = 2 and (status = 'paid' or amount between 10 and 60) and status is not null order by id",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "with pg_user as (select name as usename from customers) select usename from pg_user order by usename",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  {
    sql: "select 'it''s -- not a comment; nor /* this */' as s, 'pg_sleep(1)' as t from orders where id = 1",
    dialects: ["duckdb", "postgresql", "mysql"],
  },
  // MySQL's own spellings
  {
    sql: "select date_format(ordered_at, '%Y-%m') as ym, count(*) as n from orders group by 1 order by 1",
    dialects: ["mysql"],
  },
  { sql: "select `Order Id`, `Unit Price` * qty as `Line Total` from `Line Items`", dialects: ["mysql"] },
  {
    sql: "select customer_id, group_concat(status order by id separator ',') as statuses from orders group by customer_id",
    dialects: ["mysql"],
  },
  {
    sql: "select timestampdiff(day, min(ordered_at), max(ordered_at)) as span, ifnull(max(amount), 0) as top from orders",
    dialects: ["mysql"],
  },
  { sql: "select id from orders where ordered_at >= date_sub(now(), interval 30 day)", dialects: ["mysql"] },
  { sql: "select id from orders order by id limit 2, 3", dialects: ["mysql"] },
];
