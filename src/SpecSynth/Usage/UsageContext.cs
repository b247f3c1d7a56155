using System.Globalization;
using System.Security.Cryptography;

namespace SpecSynth.Usage;

/// <summary>What the usage ledger and the audit log record about the run a client serves (one CLI invocation).</summary>
/// <param name="RunId">The run's id, shared by every request of the run (e.g. <c>20261202T101500Z-ab12cd</c>).</param>
/// <param name="Project">The project folder the run works in (full path), or <c>null</c> when there is none.</param>
internal sealed record UsageContext(string RunId, string? Project)
{
    /// <summary>A new run: the id is the UTC start time and six random hex digits.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="project">The project folder, or <c>null</c>.</param>
    public static UsageContext New(TimeProvider time, string? project = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var id = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-"
            + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        return new UsageContext(id, project is null ? null : Path.GetFullPath(project));
    }
}
