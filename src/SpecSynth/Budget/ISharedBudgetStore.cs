namespace SpecSynth.Budget;

/// <summary>The team's budget counters shared by every process using them (Redis, from the <c>SpecSynth.Redis</c>
/// package). Disposing it closes its connection.</summary>
internal interface ISharedBudgetStore : IBudgetCounters
{
    /// <summary>"host:port/db" for messages; never a password.</summary>
    string Display { get; }

    /// <summary>Whether <paramref name="ex"/> means the server is gone (the ledger goes on with its local counters).</summary>
    bool IsLost(Exception ex);
}
