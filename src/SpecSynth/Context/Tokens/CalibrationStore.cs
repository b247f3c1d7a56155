using System.Collections.Concurrent;
using System.Globalization;
using SpecSynth.State;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// The learned correction factors of <see cref="CalibratedEstimator"/>, one per provider and model, kept in
/// <c>calibration.db</c> under the state folder (or only in memory when there is no state folder). Each update is a
/// read-modify-write inside one <c>BEGIN IMMEDIATE</c> transaction, so concurrent processes serialise on SQLite's
/// write lock and never lose or tear an update. Thread-safe.
/// </summary>
internal sealed class CalibrationStore
{
    /// <summary>The file name under the state folder.</summary>
    public const string FileName = "calibration.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS token_calibration (
            model TEXT PRIMARY KEY,
            factor REAL NOT NULL,
            samples INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        """;

    private readonly string? _path;
    private readonly TimeProvider? _time; // stamps persisted updates; an in-memory store has no clock
    private readonly ConcurrentDictionary<string, double> _memory = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private CalibrationStore(string? path, TimeProvider? time)
    {
        _path = path;
        _time = time;
    }

    /// <summary>The database file, or <c>null</c> for an in-memory store.</summary>
    public string? Path => _path;

    /// <summary>A store persisted in <paramref name="stateDir"/>/<see cref="FileName"/>.</summary>
    public static CalibrationStore InStateDir(string stateDir, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDir);
        return new CalibrationStore(System.IO.Path.Combine(stateDir, FileName), time ?? Hosting.CompositionRoot.SystemClock);
    }

    /// <summary>A store that forgets everything when the process ends.</summary>
    public static CalibrationStore InMemory() => new(null, null);

    /// <summary>The stored factor for <paramref name="key"/>, or <c>null</c> when nothing was learned yet.</summary>
    public double? Load(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_path is null)
        {
            return _memory.TryGetValue(key, out var value) ? value : null;
        }
        if (!File.Exists(_path))
        {
            return null;
        }
        using var connection = SqliteDatabase.Open(_path, Schema);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT factor FROM token_calibration WHERE model = $model";
        command.Parameters.AddWithValue("$model", key);
        return command.ExecuteScalar() is double factor ? factor : null;
    }

    /// <summary>Atomically replaces the factor of <paramref name="key"/> with <paramref name="next"/>(stored or
    /// <paramref name="initial"/>) and returns the new value.</summary>
    public double Update(string key, double initial, Func<double, double> next)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(next);
        if (_path is null)
        {
            lock (_gate)
            {
                var value = next(_memory.TryGetValue(key, out var current) ? current : initial);
                _memory[key] = value;
                return value;
            }
        }
        using var connection = SqliteDatabase.Open(_path, Schema);
        SqliteDatabase.Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            double current = initial;
            long samples = 0;
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT factor, samples FROM token_calibration WHERE model = $model";
                read.Parameters.AddWithValue("$model", key);
                using var reader = read.ExecuteReader();
                if (reader.Read())
                {
                    current = reader.GetDouble(0);
                    samples = reader.GetInt64(1);
                }
            }
            var updated = next(current);
            using (var write = connection.CreateCommand())
            {
                write.CommandText = """
                    INSERT INTO token_calibration (model, factor, samples, updated_at) VALUES ($model, $factor, $samples, $at)
                    ON CONFLICT(model) DO UPDATE SET factor = excluded.factor, samples = excluded.samples, updated_at = excluded.updated_at
                    """;
                write.Parameters.AddWithValue("$model", key);
                write.Parameters.AddWithValue("$factor", updated);
                write.Parameters.AddWithValue("$samples", samples + 1);
                write.Parameters.AddWithValue("$at", _time!.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                write.ExecuteNonQuery();
            }
            SqliteDatabase.Execute(connection, "COMMIT");
            return updated;
        }
        catch
        {
            try
            {
                SqliteDatabase.Execute(connection, "ROLLBACK");
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // The transaction is already gone; the original error is the one to report.
            }
            throw;
        }
    }
}
