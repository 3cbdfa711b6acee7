import CollectorModel
import Foundation
import PostgresNIO

/// The PostgreSQL schema, versioned like SQLite's. Times are BIGINT
/// nanoseconds since the epoch (UTC), as on SQLite, so both backends read
/// and write the same values. What is missing is applied in one
/// transaction under an advisory lock: collectors that start together
/// against one database migrate it once, the others wait and find it done,
/// and a failure leaves the schema as it was.
enum PostgresMigrations {
    struct Migration {
        let identifier: String
        let statements: [String]
    }

    /// Any constant no other user of the database picks: "collector" in ASCII.
    static let lockKey: Int64 = 0x636f_6c6c_6563_746f

    static let migrations: [Migration] = [
        Migration(identifier: "v1: sites, tokens, OAuth clients, instances, agents, host samples", statements: [
            "CREATE TABLE sites (name TEXT PRIMARY KEY, created BIGINT NOT NULL)",
            """
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                scopes TEXT NOT NULL,
                site TEXT REFERENCES sites(name),
                created BIGINT NOT NULL,
                revoked BIGINT,
                last_used BIGINT,
                expires BIGINT
            )
            """,
            "CREATE INDEX tokens_by_name ON tokens(name)",
            """
            CREATE TABLE oauth_clients (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                scopes TEXT NOT NULL,
                site TEXT NOT NULL REFERENCES sites(name),
                created BIGINT NOT NULL,
                revoked BIGINT
            )
            """,
            """
            CREATE TABLE instances (
                uuid TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                contact TEXT NOT NULL,
                email TEXT NOT NULL,
                organization TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                country TEXT NOT NULL,
                created BIGINT NOT NULL,
                updated BIGINT NOT NULL,
                agent_id TEXT,
                site TEXT,
                crawled_json TEXT,
                last_crawl_time BIGINT,
                last_crawl_result TEXT,
                last_crawl_status INTEGER,
                last_crawl_detail TEXT,
                country_checked BIGINT
            )
            """,
            "CREATE INDEX instances_by_created ON instances(created)",
            """
            CREATE TABLE agents (
                id TEXT PRIMARY KEY,
                site TEXT NOT NULL REFERENCES sites(name),
                hostname TEXT NOT NULL,
                agent_version TEXT NOT NULL,
                instance_uuid TEXT REFERENCES instances(uuid),
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                high_water_mark BIGINT NOT NULL DEFAULT 0,
                dropped_batches BIGINT NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE host_samples (
                agent_id TEXT NOT NULL REFERENCES agents(id),
                time BIGINT NOT NULL,
                sample_json TEXT NOT NULL
            )
            """,
            "CREATE INDEX host_samples_by_agent_time ON host_samples(agent_id, time)",
        ]),
        Migration(identifier: "v2: series catalog and ingest log", statements: [
            """
            CREATE TABLE series (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                tags TEXT NOT NULL DEFAULT '',
                measurement TEXT,
                field TEXT,
                field_type TEXT,
                UNIQUE (namespace, name, tags)
            )
            """,
            "CREATE INDEX series_by_measurement ON series(namespace, measurement)",
            // The same rows as SQLite's log: one per write, each series'
            // points encoded as a chunk (`IngestLogRow`).
            """
            CREATE TABLE ingest_log (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind SMALLINT NOT NULL,
                count INTEGER NOT NULL,
                data BYTEA NOT NULL
            )
            """,
        ]),
        Migration(identifier: "v3: console users and sessions, readiness probe", statements: [
            """
            CREATE TABLE console_users (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created BIGINT NOT NULL,
                password_changed BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE console_sessions (
                id_hash TEXT PRIMARY KEY,
                user_name TEXT NOT NULL REFERENCES console_users(name) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created BIGINT NOT NULL,
                expires BIGINT NOT NULL
            )
            """,
            "CREATE INDEX console_sessions_by_user ON console_sessions(user_name)",
            "CREATE INDEX console_sessions_by_expiry ON console_sessions(expires)",
            "CREATE TABLE readiness_probe (id INTEGER PRIMARY KEY CHECK (id = 1), checked BIGINT NOT NULL)",
        ]),
        Migration(identifier: "v4: leases for background work", statements: [
            // Background work runs on one collector at a time (`LeaseStore`).
            "CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires BIGINT NOT NULL)",
        ]),
        Migration(identifier: "v5: crawl history, event documents", statements: [
            """
            CREATE TABLE crawl_history (
                instance_uuid TEXT NOT NULL REFERENCES instances(uuid),
                time BIGINT NOT NULL,
                result TEXT NOT NULL,
                status INTEGER NOT NULL,
                detail TEXT NOT NULL
            )
            """,
            "CREATE INDEX crawl_history_by_instance_time ON crawl_history(instance_uuid, time)",
            // As on SQLite: an event's document is kept in the log row of its
            // write, then in a compressed block; its id finds either.
            "CREATE TABLE event_ids (id TEXT PRIMARY KEY, log_id BIGINT, block_id BIGINT)",
            """
            CREATE TABLE event_blocks (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                count INTEGER NOT NULL,
                data BYTEA NOT NULL
            )
            """,
        ]),
        // SQLite's v5 and v7 (the index by computer) in one. Addresses
        // compare byte by byte ("C"), as SQLite compares them, whatever the
        // database's locale: sweeps come back in the same order.
        Migration(identifier: "v6: pools, computers, sweeps", statements: [
            """
            CREATE TABLE pools (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                room TEXT NOT NULL,
                metadata_json TEXT NOT NULL,
                watts DOUBLE PRECISION NOT NULL,
                standby_watts DOUBLE PRECISION,
                agent_id TEXT NOT NULL,
                interval_ms BIGINT NOT NULL,
                created BIGINT NOT NULL
            )
            """,
            "CREATE INDEX pools_by_agent ON pools(agent_id)",
            """
            CREATE TABLE computers (
                pool_id BIGINT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
                address TEXT COLLATE "C" NOT NULL,
                position BIGINT NOT NULL,
                PRIMARY KEY (pool_id, address)
            )
            """,
            // No foreign key, as on SQLite: deletePool removes a pool's
            // sweeps itself, and storing one checks no key.
            """
            CREATE TABLE reachability (
                pool_id BIGINT NOT NULL,
                address TEXT COLLATE "C" NOT NULL,
                time BIGINT NOT NULL,
                up BOOLEAN NOT NULL,
                rtt_ms DOUBLE PRECISION NOT NULL,
                reason TEXT
            )
            """,
            "CREATE INDEX reachability_by_pool_time ON reachability(pool_id, time)",
            "CREATE INDEX reachability_by_computer ON reachability(pool_id, address, time)",
            """
            CREATE TABLE computer_state (
                pool_id BIGINT NOT NULL,
                address TEXT COLLATE "C" NOT NULL,
                last_sweep BIGINT NOT NULL,
                up BOOLEAN NOT NULL,
                rtt_ms DOUBLE PRECISION NOT NULL,
                reason TEXT,
                last_up BIGINT,
                PRIMARY KEY (pool_id, address)
            )
            """,
        ]),
        // The series engine's compacted side, as on SQLite: chunks (one
        // series' points of one day, encoded), rollups by level, and string
        // fields as rows (ordered by `seq`, as SQLite orders them by rowid).
        // Each partitioned by UTC month of its time (`PostgresPartitions`),
        // so retention drops months whole; a key includes the time, as
        // PostgreSQL requires of a partitioned table's keys.
        Migration(identifier: "v7: chunks, rollups, string fields, partitioned by month", statements: [
            """
            CREATE TABLE chunks (
                id BIGINT GENERATED ALWAYS AS IDENTITY,
                series_id BIGINT NOT NULL,
                window_start BIGINT NOT NULL,
                generation INTEGER NOT NULL,
                min_time BIGINT NOT NULL,
                max_time BIGINT NOT NULL,
                count INTEGER NOT NULL,
                data BYTEA NOT NULL,
                PRIMARY KEY (id, window_start)
            ) PARTITION BY RANGE (window_start)
            """,
            "CREATE INDEX chunks_by_series_window ON chunks(series_id, window_start)",
            "CREATE INDEX chunks_by_window ON chunks(window_start)",
        ] + RollupLevel.allCases.flatMap { level in
            [
                """
                CREATE TABLE rollup_\(level.rawValue) (
                    series_id BIGINT NOT NULL,
                    start BIGINT NOT NULL,
                    count BIGINT NOT NULL,
                    sum DOUBLE PRECISION NOT NULL,
                    min DOUBLE PRECISION NOT NULL,
                    max DOUBLE PRECISION NOT NULL,
                    first BIGINT NOT NULL,
                    PRIMARY KEY (series_id, start)
                ) PARTITION BY RANGE (start)
                """,
                "CREATE INDEX rollup_\(level.rawValue)_by_start ON rollup_\(level.rawValue)(start)",
            ]
        } + [
            """
            CREATE TABLE string_points (
                seq BIGINT GENERATED ALWAYS AS IDENTITY,
                series_id BIGINT NOT NULL,
                time BIGINT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (seq, time)
            ) PARTITION BY RANGE (time)
            """,
            "CREATE INDEX string_points_by_series_time ON string_points(series_id, time)",
            "CREATE INDEX string_points_by_time ON string_points(time)",
        ]),
    ]

    /// Applies what is missing; throws when the database was migrated by a
    /// newer Collector (a migration this build does not know).
    static func migrate(_ connection: PostgresConnection) async throws {
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))")
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT PRIMARY KEY, applied BIGINT NOT NULL)
                """)
            var applied: Set<String> = []
            for try await identifier in try await connection.query("SELECT identifier FROM schema_migrations")
                .decode(String.self) {
                applied.insert(identifier)
            }
            let unknown = applied.subtracting(migrations.map(\.identifier))
            guard unknown.isEmpty else {
                throw StoreError.unavailable("written by a newer Collector (migrations \(unknown.sorted()))")
            }
            for migration in migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement))
                }
                try await connection.query("""
                    INSERT INTO schema_migrations (identifier, applied) VALUES (\(migration.identifier), \(Date().unixNanos))
                    """)
            }
        }
    }
}
