using System.Diagnostics;
using SpecSynth.History;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.History;

/// <summary>Several real specsynth processes continuing one conversation at once: every turn is kept, in a consistent
/// order, and the database stays sound.</summary>
public sealed class ConcurrentProcessesTests : IDisposable
{
    private const int Processes = 4;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ProcessesContinuingOneConversationAtOnce_AllAppend_WithoutCorruption()
    {
        var project = _dir.Combine("project");
        _dir.Write("project/spec.md", "---\nlanguage: python\n---\n# Counter\n\nCounts things.\n\n## Requirements\n\n- It MUST count.\n");
        var home = _dir.Combine("state");
        var cli = new CliRunner(project, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = home });
        var first = await cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out0");
        Assert.True(first.ExitCode == 0, first.Error);

        var runs = await Task.WhenAll(Enumerable.Range(1, Processes).Select(i =>
            RunCliAsync(project, home, ["generate", "spec.md", "--mock-llm", "--out", $"out{i}", "--continue", $"step {i}"])));

        Assert.All(runs, r => Assert.True(r.Code == 0, r.Stderr));
        var store = new ConversationStore(Path.Combine(home, "history.db"), TimeProvider.System);
        var conversation = Assert.Single(store.List(ProjectKey.Project(project)));
        Assert.Equal(2 + (2 * Processes), conversation.Turns.Count);
        Assert.Equal(Enumerable.Range(1, conversation.Turns.Count), conversation.Turns.Select(t => t.Seq));
        for (var i = 1; i <= Processes; i++)
        {
            var request = Assert.Single(conversation.Turns, t => t.Text.EndsWith($"Instruction: step {i}", StringComparison.Ordinal));
            // Each process appended its request and its reply together.
            var reply = conversation.Turns[request.Seq];
            Assert.Equal(TurnRole.Assistant, reply.Role);
            Assert.Contains($"step {i}", reply.Text, StringComparison.Ordinal);
        }
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.FilePath};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", check.ExecuteScalar());
    }

    private static async Task<(int Code, string Stderr)> RunCliAsync(string workDir, string home, IEnumerable<string> args)
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(TestPaths.RepoRoot, "src", "SpecSynth.Cli", "bin", tfm.Parent!.Name, tfm.Name, "SpecSynth.Cli.dll");
        Assert.True(File.Exists(dll), "build the solution first: " + dll);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["SPECSYNTH_HOME"] = home;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        return (process.ExitCode, await stderr);
    }
}
