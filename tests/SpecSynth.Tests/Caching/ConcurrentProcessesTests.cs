using System.Diagnostics;
using System.Text.Json;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Caching;

/// <summary>Several real specsynth processes sharing one state folder: the SQLite cache loses nothing and
/// is not corrupted when they write the same and different entries at once.</summary>
public sealed class ConcurrentProcessesTests : IDisposable
{
    private const int Processes = 3;
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Concurrent_processes_share_one_cache_file_without_loss()
    {
        var shared = Enumerable.Range(0, 4).Select(i => _dir.Write($"project/specs/shared{i}.md", Spec("shared", i))).ToList();
        var own = Enumerable.Range(0, Processes)
            .Select(p => Enumerable.Range(0, 3).Select(i => _dir.Write($"project/specs/p{p}-{i}.md", Spec($"p{p}", i))).ToList()).ToList();

        var first = await Task.WhenAll(Enumerable.Range(0, Processes).Select(p => RunCliAsync(p, [.. shared, .. own[p]])));
        var second = await Task.WhenAll(Enumerable.Range(0, Processes).Select(p => RunCliAsync(p, [.. shared, .. own[p]])));

        foreach (var (code, stdout, stderr) in first.Concat(second))
        {
            Assert.True(code == 0, stderr);
            Assert.Equal(7, JsonDocument.Parse(stdout).RootElement.GetProperty("succeeded").GetInt32());
        }
        foreach (var (_, stdout, _) in second)
        {
            using var doc = JsonDocument.Parse(stdout);
            Assert.All(doc.RootElement.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("cache_hit").GetBoolean()));
        }
        var cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
        var stats = await cli.RunAsync("cache", "stats", "--json");
        Assert.True(stats.ExitCode == 0, stats.Error);
        using var statsDoc = JsonDocument.Parse(stats.Out);
        Assert.Equal(4 + (3 * Processes), statsDoc.RootElement.GetProperty("entries").GetInt64());
        // Every lookup of every process was counted; the second wave only hit; the first wave may hit the shared specs
        // another process had already stored, and each of the 13 entries took at least one miss.
        var (hits, misses) = (statsDoc.RootElement.GetProperty("hits").GetInt64(), statsDoc.RootElement.GetProperty("misses").GetInt64());
        Assert.Equal(2 * 7 * Processes, hits + misses);
        Assert.InRange(hits, 7 * Processes, (2 * 7 * Processes) - (4 + (3 * Processes)));
    }

    public void Dispose() => _dir.Dispose();

    private static string Spec(string group, int i) => $"""
        # Feature {group}-{i}

        ## Requirements
        - `Greeter.Greet(name)` MUST return `Hello {group} {i}, <name>!`.
        """;

    private async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(int process, IReadOnlyList<string> specs)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir.Combine("project"),
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { CliDll(), "generate" }.Concat(specs).Concat(["--mock-llm", "--dry-run", "--json", "--out", _dir.Combine($"out{process}")]))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["SPECSYNTH_HOME"] = _dir.Combine("state");
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await child.WaitForExitAsync(timeout.Token);
        return (child.ExitCode, await stdout, await stderr);
    }

    private static string CliDll()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(TestPaths.RepoRoot, "src", "SpecSynth.Cli", "bin", tfm.Parent!.Name, tfm.Name, "SpecSynth.Cli.dll");
        Assert.True(File.Exists(dll), "build the solution first: " + dll);
        return dll;
    }
}
