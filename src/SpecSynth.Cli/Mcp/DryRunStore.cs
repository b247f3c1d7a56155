using System.Security.Cryptography;
using System.Text.Json;

namespace SpecSynth.Cli.Mcp;

/// <summary>The dry runs an MCP client may <c>apply</c>: each one's planned files, kept in the state folder
/// (<c>mcp/dry-runs/ID.json</c>) under a random id until applied.</summary>
internal sealed class DryRunStore(string stateDirectory)
{
    private readonly string _folder = Path.Combine(stateDirectory, "mcp", "dry-runs");

    /// <summary>Stores a dry run of <paramref name="project"/> and returns its id.</summary>
    public async Task<string> SaveAsync(string project, GenerateResult result, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var stored = new StoredDryRun(id, project, result.Spec, result.OutputRoot, result.PlannedFiles);
        await File.WriteAllTextAsync(PathOf(id), JsonSerializer.Serialize(stored, CliJson.Options), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The stored dry run, or an error naming the id when there is none (never stored, or already applied).</summary>
    public async Task<StoredDryRun> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var path = IsId(id) ? PathOf(id) : null;
        if (path is null || !File.Exists(path))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"No dry run '{id}' to apply (unknown, or already applied). Call generate with dry_run true first.");
        }
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<StoredDryRun>(json, CliJson.Options)
            ?? throw new SpecSynthException(ErrorKind.InvalidInput, $"The stored dry run '{id}' is unreadable.");
    }

    /// <summary>Forgets an applied dry run, so it cannot be applied twice.</summary>
    public void Remove(string id)
    {
        if (IsId(id))
        {
            File.Delete(PathOf(id));
        }
    }

    private string PathOf(string id) => Path.Combine(_folder, id + ".json");

    private static bool IsId(string id) => id.Length == 16 && id.All(char.IsAsciiHexDigitLower);
}

/// <summary>One stored dry run.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Project">The project folder of the session that made it.</param>
/// <param name="Spec">The spec.</param>
/// <param name="OutputRoot">The output folder.</param>
/// <param name="Files">The planned files.</param>
internal sealed record StoredDryRun(string Id, string Project, string Spec, string OutputRoot, IReadOnlyList<PlannedFileContent> Files);
