using System.Globalization;
using Microsoft.Data.Sqlite;
using SpecSynth.State;

namespace SpecSynth.Batching;

/// <summary>
/// The batches specsynth submitted, in <c>batches.db</c> under the state folder: a submission is written before the create
/// call (with every request's spec, <c>custom_id</c> and prompt hash), the provider's id right after it answers, then each
/// request's state as results arrive and once its files are written. So a run killed at any point can be resumed without
/// submitting twice or writing a spec twice. Thread-safe (one connection per call).
/// </summary>
internal sealed class BatchStore(string path)
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS batches (
            id TEXT PRIMARY KEY, provider TEXT NOT NULL, api_root TEXT NOT NULL, remote_id TEXT, status TEXT NOT NULL,
            created_at TEXT NOT NULL, project TEXT NOT NULL, flags TEXT NOT NULL, count INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS batch_requests (
            batch_id TEXT NOT NULL, custom_id TEXT NOT NULL, spec TEXT NOT NULL, prompt_hash TEXT NOT NULL, state TEXT NOT NULL,
            error TEXT, PRIMARY KEY (batch_id, custom_id));
        CREATE INDEX IF NOT EXISTS batch_requests_spec ON batch_requests (spec);
        """;

    private static readonly Lock Gate = new();

    /// <summary>The store of the state folder <paramref name="stateDir"/>.</summary>
    public static BatchStore In(string stateDir) => new(Path.Combine(stateDir, "batches.db"));

    /// <summary>Records a submission before it is sent.</summary>
    public void Create(string id, string provider, Uri apiRoot, DateTimeOffset createdAt, string project, string flags,
        IReadOnlyList<(string CustomId, string Spec, string PromptHash)> requests)
    {
        Run(connection =>
        {
            using var tx = connection.BeginTransaction();
            Exec(connection, tx, "INSERT INTO batches (id, provider, api_root, remote_id, status, created_at, project, flags, count) " +
                "VALUES ($id, $provider, $root, NULL, 'submitting', $created, $project, $flags, $count)",
                ("$id", id), ("$provider", provider), ("$root", apiRoot.AbsoluteUri), ("$created", createdAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
                ("$project", project), ("$flags", flags), ("$count", requests.Count));
            foreach (var (customId, spec, hash) in requests)
            {
                Exec(connection, tx, "INSERT INTO batch_requests (batch_id, custom_id, spec, prompt_hash, state) VALUES ($id, $cid, $spec, $hash, 'planned')",
                    ("$id", id), ("$cid", customId), ("$spec", spec), ("$hash", hash));
            }
            tx.Commit();
        });
    }

    /// <summary>Records the provider's id of an accepted submission.</summary>
    public void Accept(string id, string remoteId) => Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        Exec(connection, tx, "UPDATE batches SET remote_id = $remote, status = 'submitted' WHERE id = $id", ("$id", id), ("$remote", remoteId));
        Exec(connection, tx, "UPDATE batch_requests SET state = 'submitted' WHERE batch_id = $id AND state = 'planned'", ("$id", id));
        tx.Commit();
    });

    /// <summary>Records the batch's status.</summary>
    public void SetStatus(string id, string status) =>
        Run(connection => Exec(connection, null, "UPDATE batches SET status = $status WHERE id = $id", ("$id", id), ("$status", status)));

    /// <summary>Records one request's state (a written request stays written).</summary>
    public void SetState(string id, string customId, string state, string? error) => Run(connection => Exec(connection, null,
        "UPDATE batch_requests SET state = $state, error = $error WHERE batch_id = $id AND custom_id = $cid AND state <> 'written'",
        ("$id", id), ("$cid", customId), ("$state", state), ("$error", error)));

    /// <summary>Every batch, newest first.</summary>
    public IReadOnlyList<BatchInfo> List() => Run(connection => Read(connection, null));

    /// <summary>One batch by specsynth's id or the provider's, or <c>null</c>.</summary>
    public BatchInfo? Get(string id) => Run(connection => Read(connection, id)).FirstOrDefault();

    /// <summary>A batch and the other chunks of its run (<c>ID.2</c>, <c>ID.3</c>…), by specsynth's id or the provider's.</summary>
    public IReadOnlyList<BatchInfo> Family(string id) => [.. List().Where(b => b.Id == id || b.RemoteId == id
        || b.Id.StartsWith(id + ".", StringComparison.Ordinal))];

    /// <summary>The stored run flags of a batch.</summary>
    public string? Flags(string id) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT flags FROM batches WHERE id = $id OR remote_id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as string;
    });

    /// <summary>The API root a batch was submitted to.</summary>
    public Uri? ApiRoot(string id) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT api_root FROM batches WHERE id = $id OR remote_id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is string s ? new Uri(s) : null;
    });

    /// <summary>Every provider batch id specsynth knows.</summary>
    public IReadOnlySet<string> RemoteIds() => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT remote_id FROM batches WHERE remote_id IS NOT NULL";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return (IReadOnlySet<string>)ids;
    });

    private static List<BatchInfo> Read(SqliteConnection connection, string? id)
    {
        var batches = new List<(string Id, string Provider, string? Remote, string Status, DateTimeOffset Created, string Project)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, provider, remote_id, status, created_at, project FROM batches" +
                (id is null ? "" : " WHERE id = $id OR remote_id = $id") + " ORDER BY created_at DESC, id DESC";
            if (id is not null)
            {
                command.Parameters.AddWithValue("$id", id);
            }
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                batches.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), reader.GetString(5)));
            }
        }
        var result = new List<BatchInfo>();
        foreach (var b in batches)
        {
            var specs = new List<BatchSpecInfo>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT spec, custom_id, prompt_hash, state, error FROM batch_requests WHERE batch_id = $id ORDER BY rowid";
            command.Parameters.AddWithValue("$id", b.Id);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                specs.Add(new BatchSpecInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
            result.Add(new BatchInfo(b.Id, b.Provider, b.Remote, b.Status, b.Created, b.Project, specs));
        }
        return result;
    }

    private T Run<T>(Func<SqliteConnection, T> work)
    {
        lock (Gate)
        {
            using var connection = SqliteDatabase.Open(path, Schema);
            return work(connection);
        }
    }

    private void Run(Action<SqliteConnection> work) => Run<int>(c =>
    {
        work(c);
        return 0;
    });

    private static void Exec(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        command.ExecuteNonQuery();
    }
}
