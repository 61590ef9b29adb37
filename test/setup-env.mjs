// Runs in every test file before it loads: the environment the app under test reads.
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
// Queues of their own per test file: a repeatable or left-over job of one file never runs in the
// next file's workers (against data that file never made).
process.env.QUEUE_PREFIX = `${process.env.TEST_QUEUE_PREFIX}-${Math.random().toString(36).slice(2, 10)}`;
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
// No scheduled site probes during tests (a test that needs the schedule sets it explicitly).
process.env.PROBE_SCHEDULE_CRON = '';
// Cheap password hashes: argon2's production cost made up a fair part of the suite's time.
process.env.PASSWORD_HASH_MEMORY_KIB ??= '1024';
process.env.PASSWORD_HASH_TIME_COST ??= '1';
process.env.PASSWORD_HASH_PARALLELISM ??= '1';
// Nor scheduled statistics reconciles (they rewrite scores that tests set by hand).
process.env.STATS_RECONCILE_CRON = '';
delete process.env.ADMIN_USERNAME;
delete process.env.ADMIN_PASSWORD;
