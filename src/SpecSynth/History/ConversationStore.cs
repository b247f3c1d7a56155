using Microsoft.Data.Sqlite;
using SpecSynth.Config;
using SpecSynth.Projects;
using SpecSynth.State;

namespace SpecSynth.History;

/// <summary>
/// The conversation history in SQLite (<c>history.db</c> in the state folder): conversations per project and spec,
/// and their turns. Every text is passed through <see cref="SecretRedactor"/> before it is stored. Each call opens its
/// own connection (WAL, busy timeout; see <see cref="SqliteDatabase"/>), or, for a store made with <c>keepOpen</c> (a run's
/// store), uses one connection kept open until <see cref="Dispose"/>, one call at a time; every change is one immediate
/// transaction, so several processes and threads can use one file at once. Thread-safe.
/// </summary>
/// <remarks>A run of many specs keeps its connection open (issue 19): opening a connection per call cost each spec three
/// opens, and closing the last connection of a WAL database checkpoints it (fsyncs of the log and the database).</remarks>
internal sealed class ConversationStore : IDisposable
{
    /// <summary>The schema version this code reads and writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS conversations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project TEXT NOT NULL,
            spec TEXT NOT NULL,
            title TEXT NOT NULL,
            output_root TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS conversations_by_spec ON conversations (project, spec, updated_at);
        CREATE TABLE IF NOT EXISTS turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            provider TEXT,
            model TEXT,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            files TEXT NOT NULL DEFAULT '',
            is_summary INTEGER NOT NULL DEFAULT 0,
            UNIQUE (conversation_id, seq));
        """;

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly bool _keepOpen;
    private readonly Lock _gate = new();
    private SqliteConnection? _kept;
    private bool _disposed;

    /// <summary>Uses the database at <paramref name="path"/> (created on first use).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="time">The clock of the stored times.</param>
    /// <param name="keepOpen">Keep one connection open from the first call until <see cref="Dispose"/> (a run's store);
    /// otherwise each call opens and closes its own.</param>
    public ConversationStore(string path, TimeProvider time, bool keepOpen = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(time);
        (_path, _time, _keepOpen) = (path, time, keepOpen);
    }

    /// <summary>Closes the kept connection (if any); calls after this fail.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _kept?.Dispose();
            _kept = null;
        }
    }

    /// <summary>The history file of the state folder: <c>StateDir/history.db</c>.</summary>
    public static string DefaultPath(Func<string, string?> getEnv) => Path.Combine(StatePaths.StateDir(getEnv), "history.db");

    /// <summary>The file this store uses.</summary>
    public string FilePath => _path;

    /// <summary>Starts a conversation and returns it, with <paramref name="turns"/> (in order) stored in the same
    /// transaction: a new spec's first request and reply are one commit, not two (issue 19: per spec of a run of many).</summary>
    public Conversation Start(string project, string specPath, string title, string outputRoot, IReadOnlyList<ConversationTurn>? turns = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        ArgumentException.ThrowIfNullOrWhiteSpace(specPath);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        var now = _time.GetUtcNow();
        using var lease = Use();
        var connection = lease.Connection;
        using var transaction = connection.BeginTransaction(deferred: false);
        long id;
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO conversations (project, spec, title, output_root, created_at, updated_at)
                VALUES ($project, $spec, $title, $out, $now, $now) RETURNING id;
                """;
            command.Parameters.AddWithValue("$project", project);
            command.Parameters.AddWithValue("$spec", specPath);
            command.Parameters.AddWithValue("$title", Redact(title));
            command.Parameters.AddWithValue("$out", outputRoot);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            id = (long)command.ExecuteScalar()!;
        }
        var stored = new List<ConversationTurn>();
        var seq = 0;
        foreach (var turn in turns ?? [])
        {
            stored.Add(Insert(connection, transaction, id, turn, ++seq, now));
        }
        transaction.Commit();
        return new Conversation(id, project, specPath, Redact(title), outputRoot, now, now, stored);
    }

    /// <summary>Appends turns (in order, in one transaction) and returns them as stored.</summary>
    /// <exception cref="SpecSynthException">The conversation does not exist (any longer).</exception>
    public IReadOnlyList<ConversationTurn> Append(long conversationId, IReadOnlyList<ConversationTurn> turns, string? outputRoot = null)
    {
        ArgumentNullException.ThrowIfNull(turns);
        using var lease = Use();
        var connection = lease.Connection;
        using var transaction = connection.BeginTransaction(deferred: false);
        var stored = new List<ConversationTurn>();
        var now = _time.GetUtcNow();
        EnsureExists(connection, transaction, conversationId);
        foreach (var turn in turns)
        {
            stored.Add(Insert(connection, transaction, conversationId, turn, seq: null, now));
        }
        Touch(connection, transaction, conversationId, now, outputRoot);
        transaction.Commit();
        return stored;
    }

    /// <summary>Replaces the turns <paramref name="replacedTurnIds"/> by <paramref name="summary"/> (stored flagged as a
    /// summary, at the position of the first replaced turn), in one transaction. Returns the stored summary.</summary>
    public ConversationTurn ReplaceWithSummary(long conversationId, IReadOnlyCollection<long> replacedTurnIds, ConversationTurn summary)
    {
        ArgumentNullException.ThrowIfNull(replacedTurnIds);
        ArgumentNullException.ThrowIfNull(summary);
        if (replacedTurnIds.Count == 0)
        {
            throw new ArgumentException("Nothing to replace.", nameof(replacedTurnIds));
        }
        using var lease = Use();
        var connection = lease.Connection;
        using var transaction = connection.BeginTransaction(deferred: false);
        EnsureExists(connection, transaction, conversationId);
        var firstSeq = int.MaxValue;
        foreach (var id in replacedTurnIds)
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM turns WHERE id = $id AND conversation_id = $c RETURNING seq;";
            delete.Parameters.AddWithValue("$id", id);
            delete.Parameters.AddWithValue("$c", conversationId);
            var seq = delete.ExecuteScalar() ?? throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Turn {id} of conversation {conversationId} changed while it was being compacted (another specsynth process?); run the command again.");
            firstSeq = Math.Min(firstSeq, (int)(long)seq);
        }
        var now = _time.GetUtcNow();
        var stored = Insert(connection, transaction, conversationId, summary with { IsSummary = true }, firstSeq, now);
        transaction.Commit();
        return stored;
    }

    /// <summary>The most recently updated conversation of a spec in a project, with its turns; <c>null</c> when none.</summary>
    public Conversation? Latest(string project, string specPath)
    {
        using var lease = Use();
        var connection = lease.Connection;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM conversations WHERE project = $project AND spec = $spec ORDER BY updated_at DESC, id DESC LIMIT 1;";
        command.Parameters.AddWithValue("$project", project);
        command.Parameters.AddWithValue("$spec", specPath);
        return command.ExecuteScalar() is long id ? Load(connection, id) : null;
    }

    /// <summary>One conversation with its turns; <c>null</c> when there is none with that id.</summary>
    public Conversation? Get(long id)
    {
        using var lease = Use();
        var connection = lease.Connection;
        return Load(connection, id);
    }

    /// <summary>The conversations of a project (of one spec when <paramref name="specPath"/> is given), newest first,
    /// each with its turns.</summary>
    public IReadOnlyList<Conversation> List(string project, string? specPath = null)
    {
        using var lease = Use();
        var connection = lease.Connection;
        var ids = new List<long>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id FROM conversations WHERE project = $project AND ($spec IS NULL OR spec = $spec) ORDER BY updated_at DESC, id DESC;";
            command.Parameters.AddWithValue("$project", project);
            command.Parameters.AddWithValue("$spec", (object?)specPath ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        return ids.Select(id => Load(connection, id)).OfType<Conversation>().ToList();
    }

    /// <summary>Deletes the conversations of a project (of one spec when given); returns how many.</summary>
    public int Clear(string project, string? specPath = null)
    {
        using var lease = Use();
        var connection = lease.Connection;
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        const string match = "project = $project AND ($spec IS NULL OR spec = $spec)";
        command.CommandText = $"DELETE FROM turns WHERE conversation_id IN (SELECT id FROM conversations WHERE {match}); DELETE FROM conversations WHERE {match};";
        command.Parameters.AddWithValue("$project", project);
        command.Parameters.AddWithValue("$spec", (object?)specPath ?? DBNull.Value);
        command.ExecuteNonQuery();
        using var count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = "SELECT changes();";
        var deleted = (int)(long)count.ExecuteScalar()!;
        transaction.Commit();
        return deleted;
    }

    /// <summary>A connection for one call: the kept one (held under the gate until the lease ends), or a new one closed
    /// when the lease ends.</summary>
    private Lease Use()
    {
        if (!_keepOpen)
        {
            return new Lease(Open(), null);
        }
        _gate.Enter();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _kept ??= Open();
            return new Lease(_kept, _gate);
        }
        catch
        {
            _gate.Exit();
            throw;
        }
    }

    private SqliteConnection Open()
    {
        // Kept for the run (a many-spec run appends each spec's turns): a bounded page cache.
        var connection = SqliteDatabase.OpenAppending(_path, Schema);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version;";
            var version = (long)command.ExecuteScalar()!;
            if (version > SchemaVersion)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"The history database {_path} was written by a newer specsynth (schema {version}); update specsynth or move the file aside.");
            }
            if (version < SchemaVersion)
            {
                SqliteDatabase.Execute(connection, $"PRAGMA user_version = {SchemaVersion};");
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string Redact(string text) => SecretRedactor.Redact(text, out _);

    private static void EnsureExists(SqliteConnection connection, SqliteTransaction transaction, long conversationId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM conversations WHERE id = $id;";
        command.Parameters.AddWithValue("$id", conversationId);
        if (command.ExecuteScalar() is null)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Conversation {conversationId} does not exist (it was cleared?); run 'specsynth history' to list the conversations.");
        }
    }

    private static void Touch(SqliteConnection connection, SqliteTransaction transaction, long conversationId, DateTimeOffset now, string? outputRoot)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE conversations SET updated_at = MAX(updated_at, $now), output_root = COALESCE($out, output_root) WHERE id = $id;";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$out", (object?)outputRoot ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", conversationId);
        command.ExecuteNonQuery();
    }

    private static ConversationTurn Insert(SqliteConnection connection, SqliteTransaction transaction, long conversationId,
        ConversationTurn turn, int? seq, DateTimeOffset now)
    {
        var text = Redact(turn.Text);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO turns (conversation_id, seq, role, text, created_at, provider, model, input_tokens, output_tokens, files, is_summary)
            VALUES ($c, COALESCE($seq, (SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE conversation_id = $c)),
                    $role, $text, $now, $provider, $model, $in, $out, $files, $summary)
            RETURNING id, seq;
            """;
        command.Parameters.AddWithValue("$c", conversationId);
        command.Parameters.AddWithValue("$seq", (object?)seq ?? DBNull.Value);
        command.Parameters.AddWithValue("$role", turn.Role == TurnRole.User ? "user" : "assistant");
        command.Parameters.AddWithValue("$text", text);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$provider", (object?)turn.Provider ?? DBNull.Value);
        command.Parameters.AddWithValue("$model", (object?)turn.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("$in", turn.InputTokens);
        command.Parameters.AddWithValue("$out", turn.OutputTokens);
        command.Parameters.AddWithValue("$files", string.Join('\n', turn.Files));
        command.Parameters.AddWithValue("$summary", turn.IsSummary ? 1 : 0);
        using var reader = command.ExecuteReader();
        reader.Read();
        return turn with { Id = reader.GetInt64(0), Seq = reader.GetInt32(1), Text = text, Time = now };
    }

    private static Conversation? Load(SqliteConnection connection, long id)
    {
        Conversation conversation;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project, spec, title, output_root, created_at, updated_at FROM conversations WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            conversation = new Conversation(id, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), []);
        }
        var turns = new List<ConversationTurn>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT id, seq, role, text, created_at, provider, model, input_tokens, output_tokens, files, is_summary
                FROM turns WHERE conversation_id = $id ORDER BY seq;
                """;
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var files = reader.GetString(9);
                turns.Add(new ConversationTurn(reader.GetString(2) == "user" ? TurnRole.User : TurnRole.Assistant, reader.GetString(3))
                {
                    Id = reader.GetInt64(0),
                    Seq = reader.GetInt32(1),
                    Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                    Provider = reader.IsDBNull(5) ? null : reader.GetString(5),
                    Model = reader.IsDBNull(6) ? null : reader.GetString(6),
                    InputTokens = reader.GetInt64(7),
                    OutputTokens = reader.GetInt64(8),
                    Files = files.Length == 0 ? [] : files.Split('\n'),
                    IsSummary = reader.GetInt64(10) != 0,
                });
            }
        }
        return conversation with { Turns = turns };
    }

    /// <summary>One call's use of a connection (the calls are synchronous: a lease never spans an await).</summary>
    private readonly struct Lease(SqliteConnection connection, Lock? gate) : IDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public void Dispose()
        {
            if (gate is null)
            {
                Connection.Dispose();
            }
            else
            {
                gate.Exit();
            }
        }
    }
}
