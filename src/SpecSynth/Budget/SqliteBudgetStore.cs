using Microsoft.Data.Sqlite;
using SpecSynth.State;

namespace SpecSynth.Budget;

/// <summary>
/// The day and month counters of this machine in <c>budget.db</c> in the state folder. Check-and-reserve runs in one
/// <c>BEGIN IMMEDIATE</c> transaction, so processes sharing the state folder never exceed a budget together (SQLite lets one
/// writer in at a time; the others wait up to <see cref="SqliteDatabase.BusyTimeout"/>). A counter holds settled costs, open
/// reservations and the unspent part of the processes' leases (<see cref="LeasedBudgetStore"/>).
/// </summary>
internal sealed class SqliteBudgetStore : IBudgetCounters
{
    /// <summary>The file's name in the state folder.</summary>
    public const string FileName = "budget.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS budget_counters (
            period TEXT PRIMARY KEY,
            used_nanos INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        """;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly PreparedStatements _statements;
    private readonly TimeProvider _time;

    private SqliteBudgetStore(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _statements = new PreparedStatements(connection);
        _time = time;
    }

    /// <summary>Opens (creating) <paramref name="path"/>.</summary>
    /// <exception cref="SpecSynthException">The file cannot be used (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static SqliteBudgetStore Open(string path, TimeProvider time) => new(SqliteDatabase.Open(path, Schema), time);

    public Task<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, long lease, long held,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(InTransaction(() =>
        {
            var grant = BudgetGrant.Decide([.. windows.Select(w => (w, Read(w.Period)))], wanted, minimum, lease, held);
            Add(windows, grant.Granted - held);
            return grant;
        }));
    }

    public Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken)
    {
        InTransaction(() =>
        {
            Add(windows, delta);
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <summary>What the counter of <paramref name="period"/> holds (settled costs, open reservations and leases), in nano-USD.</summary>
    public long Used(string period)
    {
        lock (_gate)
        {
            return Read(period);
        }
    }

    private long Read(string period) =>
        _statements.Get("SELECT used_nanos FROM budget_counters WHERE period = $period", ("$period", period)).ExecuteScalar() is long used ? used : 0;

    private T InTransaction<T>(Func<T> body)
    {
        lock (_gate)
        {
            T result = default!;
            _statements.InTransaction(() => result = body());
            return result;
        }
    }

    private void Add(IReadOnlyList<BudgetWindow> windows, long delta)
    {
        if (delta == 0)
        {
            return;
        }
        var now = _time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var window in windows)
        {
            _statements.Get("""
                INSERT INTO budget_counters (period, used_nanos, updated_at) VALUES ($period, MAX(0, $delta), $now)
                ON CONFLICT(period) DO UPDATE SET used_nanos = MAX(0, used_nanos + $delta), updated_at = $now
                """, ("$period", window.Period), ("$delta", delta), ("$now", now)).ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _statements.Dispose();
            _connection.Dispose();
        }
    }
}
