import CollectorModel
import GRDB

/// Versioned schema. Each migration runs once, in its own transaction; the
/// SQL sticks to types and statements PostgreSQL shares (times are INTEGER
/// nanoseconds since the epoch, UTC).
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sites, tokens, agents, instances, series, events") { db in
            try db.execute(sql: """
                CREATE TABLE sites (
                    name TEXT PRIMARY KEY,
                    created INTEGER NOT NULL
                );
                CREATE TABLE tokens (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    site TEXT REFERENCES sites(name),
                    created INTEGER NOT NULL,
                    revoked INTEGER,
                    last_used INTEGER
                );
                CREATE INDEX tokens_by_name ON tokens(name);
                CREATE TABLE instances (
                    uuid TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    contact TEXT NOT NULL,
                    email TEXT NOT NULL,
                    organization TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    country TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    updated INTEGER NOT NULL,
                    agent_id TEXT,
                    site TEXT,
                    crawled_json TEXT,
                    last_crawl_time INTEGER,
                    last_crawl_result TEXT,
                    last_crawl_status INTEGER,
                    last_crawl_detail TEXT
                );
                CREATE TABLE agents (
                    id TEXT PRIMARY KEY,
                    site TEXT NOT NULL REFERENCES sites(name),
                    hostname TEXT NOT NULL,
                    agent_version TEXT NOT NULL,
                    instance_uuid TEXT REFERENCES instances(uuid),
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    high_water_mark INTEGER NOT NULL DEFAULT 0,
                    dropped_batches INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE host_samples (
                    agent_id TEXT NOT NULL REFERENCES agents(id),
                    time INTEGER NOT NULL,
                    sample_json TEXT NOT NULL
                );
                CREATE INDEX host_samples_by_agent_time ON host_samples(agent_id, time);
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    UNIQUE (namespace, name)
                );
                CREATE TABLE points (
                    series_id INTEGER NOT NULL REFERENCES series(id),
                    time INTEGER NOT NULL,
                    value REAL NOT NULL
                );
                CREATE INDEX points_by_series_time ON points(series_id, time);
                CREATE TABLE events (
                    id TEXT PRIMARY KEY,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    value REAL NOT NULL,
                    uid TEXT NOT NULL,
                    fields_json TEXT NOT NULL,
                    agent_id TEXT
                );
                CREATE INDEX events_by_name_time ON events(namespace, name, time);
                """)
        }
        migrator.registerMigration("v2: rollups per minute, hour and day") { db in
            for level in RollupLevel.allCases {
                try db.execute(sql: """
                    CREATE TABLE rollup_\(level.rawValue) (
                        series_id INTEGER NOT NULL REFERENCES series(id),
                        start INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        sum REAL NOT NULL,
                        min REAL NOT NULL,
                        max REAL NOT NULL,
                        first INTEGER NOT NULL,
                        PRIMARY KEY (series_id, start)
                    )
                    """)
            }
        }
        migrator.registerMigration("v3: expiring tokens, OAuth clients") { db in
            try db.execute(sql: """
                ALTER TABLE tokens ADD COLUMN expires INTEGER;
                CREATE TABLE oauth_clients (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    site TEXT NOT NULL REFERENCES sites(name),
                    created INTEGER NOT NULL,
                    revoked INTEGER
                );
                """)
        }
        migrator.registerMigration("v4: crawl history, country lookups") { db in
            try db.execute(sql: """
                CREATE TABLE crawl_history (
                    instance_uuid TEXT NOT NULL REFERENCES instances(uuid),
                    time INTEGER NOT NULL,
                    result TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    detail TEXT NOT NULL
                );
                CREATE INDEX crawl_history_by_instance_time ON crawl_history(instance_uuid, time);
                ALTER TABLE instances ADD COLUMN country_checked INTEGER;
                CREATE INDEX instances_by_created ON instances(created);
                """)
        }
        migrator.registerMigration("v5: pools, computers, sweeps") { db in
            try db.execute(sql: """
                CREATE TABLE pools (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    room TEXT NOT NULL,
                    metadata_json TEXT NOT NULL,
                    watts REAL NOT NULL,
                    standby_watts REAL,
                    agent_id TEXT NOT NULL,
                    interval_ms INTEGER NOT NULL,
                    created INTEGER NOT NULL
                );
                CREATE INDEX pools_by_agent ON pools(agent_id);
                CREATE TABLE computers (
                    pool_id INTEGER NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
                    address TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (pool_id, address)
                );
                CREATE TABLE reachability (
                    pool_id INTEGER NOT NULL,
                    address TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    up INTEGER NOT NULL,
                    rtt_ms REAL NOT NULL,
                    reason TEXT
                );
                CREATE INDEX reachability_by_pool_time ON reachability(pool_id, time);
                CREATE TABLE computer_state (
                    pool_id INTEGER NOT NULL,
                    address TEXT NOT NULL,
                    last_sweep INTEGER NOT NULL,
                    up INTEGER NOT NULL,
                    rtt_ms REAL NOT NULL,
                    reason TEXT,
                    last_up INTEGER,
                    PRIMARY KEY (pool_id, address)
                );
                """)
        }
        migrator.registerMigration("v6: readiness probe") { db in
            // One row the readiness check rewrites: a write to the main
            // database file, which a temporary table would not be.
            try db.execute(sql: "CREATE TABLE readiness_probe (id INTEGER PRIMARY KEY CHECK (id = 1), checked INTEGER NOT NULL)")
        }
        migrator.registerMigration("v7: reachability by computer") { db in
            // A computer's last sweep before a report's window says whether
            // it was on when the window began.
            try db.execute(sql: "CREATE INDEX reachability_by_computer ON reachability(pool_id, address, time)")
        }
        migrator.registerMigration("v8: series engine (ingest log, chunks, event documents)") { db in
            // Points arrive in an append-only log, acknowledged on commit,
            // and are compacted in the background into per-series chunks
            // (see Series/). The row tables `points` and `events` of the
            // earlier store are moved over by `SeriesUpgrade`, in steps.
            try db.execute(sql: """
                CREATE TABLE ingest_log (
                    id INTEGER PRIMARY KEY,
                    kind INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE TABLE chunks (
                    id INTEGER PRIMARY KEY,
                    series_id INTEGER NOT NULL,
                    window_start INTEGER NOT NULL,
                    generation INTEGER NOT NULL,
                    min_time INTEGER NOT NULL,
                    max_time INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX chunks_by_series_window ON chunks(series_id, window_start);
                CREATE INDEX chunks_by_window ON chunks(window_start);
                CREATE TABLE event_ids (
                    id TEXT PRIMARY KEY,
                    log_id INTEGER,
                    block_id INTEGER
                ) WITHOUT ROWID;
                CREATE TABLE event_blocks (
                    id INTEGER PRIMARY KEY,
                    count INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v9: series labels (InfluxDB measurements, fields and tags)", foreignKeyChecks: .deferred) { db in
            // A series is a namespace, a name and a tag set; an InfluxDB
            // series also names its measurement and field. SQLite cannot
            // change a table's UNIQUE constraint: the table is rebuilt
            // under the same ids.
            try db.execute(sql: """
                CREATE TABLE series_labelled (
                    id INTEGER PRIMARY KEY,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    tags TEXT NOT NULL DEFAULT '',
                    measurement TEXT,
                    field TEXT,
                    field_type TEXT,
                    UNIQUE (namespace, name, tags)
                );
                INSERT INTO series_labelled (id, namespace, name) SELECT id, namespace, name FROM series;
                DROP TABLE series;
                ALTER TABLE series_labelled RENAME TO series;
                CREATE INDEX series_by_measurement ON series(namespace, measurement);
                """)
        }
        migrator.registerMigration("v10: string fields (InfluxDB's string values)") { db in
            // Text has no rollups: a string series' values are rows of their
            // own, by series and time, and go with the raw retention (by time).
            try db.execute(sql: """
                CREATE TABLE string_points (
                    series_id INTEGER NOT NULL REFERENCES series(id),
                    time INTEGER NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE INDEX string_points_by_series_time ON string_points(series_id, time);
                CREATE INDEX string_points_by_time ON string_points(time);
                """)
        }
        return migrator
    }
}
