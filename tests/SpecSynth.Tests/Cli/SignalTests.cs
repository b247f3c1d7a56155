using System.Text;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli;

/// <summary>
/// SIGTERM (timeout, CI cancellation, docker stop), SIGHUP and SIGINT sent to a real CLI process: each cancels the run like
/// Ctrl+C, so a write in progress is rolled back (no partial files, no temporary file, no pending journal run), a
/// <c>--check</c> command is killed with its process tree and its copy deleted, and the exit code is 128 + the signal.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private const int Files = 1500;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => _dir.Combine("out");

    private string Home => _dir.Combine("home");

    private string Temp => _dir.Combine("tmp");

    private Dictionary<string, string> Env(IReadOnlyDictionary<string, string>? provider = null)
    {
        Directory.CreateDirectory(Temp);
        var env = new Dictionary<string, string>(provider ?? new Dictionary<string, string>())
        {
            ["SPECSYNTH_HOME"] = Home,
            ["HOME"] = _dir.Combine("user"),
            ["TMPDIR"] = Temp,
        };
        return env;
    }

    /// <summary>A reply of <see cref="Files"/> small text files: long enough to write that a signal lands mid-write.</summary>
    private static string ManyFiles()
    {
        var reply = new StringBuilder("Here are the data files.\n\n");
        for (var i = 0; i < Files; i++)
        {
            reply.Append("```text path=data/f").Append(i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append(".txt\n")
                .Append(new string('x', 120)).Append('\n').Append("```\n\n");
        }
        return reply.ToString();
    }

    private static async Task WaitForAsync(Func<bool> condition, RunningCli cli, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!condition())
        {
            if (cli.Process.HasExited || DateTime.UtcNow > deadline)
            {
                var result = await cli.WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Fail($"never saw {what}; the CLI ended with {result.ExitCode}: {result.Error}");
            }
            await Task.Delay(2);
        }
    }

    [Theory]
    [InlineData(RunningCli.SigTerm, 143)]
    [InlineData(RunningCli.SigHup, 129)]
    [InlineData(RunningCli.SigInt, 130)]
    public async Task A_signal_mid_write_rolls_the_run_back(int signal, int exitCode)
    {
        await using var server = await FakeProviderServer.StartAsync();
        var openai = ProviderCases.Get("openai");
        server.Enqueue(openai.Reply(ManyFiles(), stream: false) with { ChunkSizes = [] });
        _dir.Write("project/specsynth.toml", "[retry]\nmax_attempts = 1\n");
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        var data = Path.Combine(Out, "data");

        using var cli = CliProcess.Start(_dir.Combine("project"), Env(openai.Env(server.BaseUrl)),
            ["generate", spec, "--out", Out, "--no-stream", "--provider", "openai"]);
        await WaitForAsync(() => Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any(), cli, "the first file written");
        cli.Signal(signal);
        var result = await cli.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("Interrupted; nothing was written.", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Out) ? Directory.EnumerateFileSystemEntries(Out, "*", SearchOption.AllDirectories) : []);
        Assert.Empty(Directory.Exists(Home) ? Directory.EnumerateFiles(Home, "manifest.json", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task After_a_sigkill_mid_write_undo_restores_the_folder_and_leaves_no_temporary_file()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var openai = ProviderCases.Get("openai");
        server.Enqueue(openai.Reply(ManyFiles(), stream: false) with { ChunkSizes = [] });
        _dir.Write("project/specsynth.toml", "[retry]\nmax_attempts = 1\n");
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        var data = Path.Combine(Out, "data");
        var env = Env(openai.Env(server.BaseUrl));

        using (var cli = CliProcess.Start(_dir.Combine("project"), env, ["generate", spec, "--out", Out, "--no-stream", "--provider", "openai"]))
        {
            await WaitForAsync(() => Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Count() > 20, cli, "files written");
            cli.Signal(RunningCli.SigKill);
            Assert.Equal(137, (await cli.WaitAsync(TimeSpan.FromSeconds(30))).ExitCode);
        }
        var undo = await new CliRunner(_dir.Combine("project"), env).RunAsync("undo");

        Assert.True(undo.ExitCode == 0, undo.Error);
        Assert.Empty(Directory.Exists(Out) ? Directory.EnumerateFileSystemEntries(Out, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Sigterm_during_the_check_kills_the_command_tree_and_deletes_its_copy()
    {
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        var shPid = _dir.Combine("sh.pid");
        var sleepPid = _dir.Combine("sleep.pid");
        var check = $"echo $$ > '{shPid}.tmp' && mv '{shPid}.tmp' '{shPid}'; sleep 120 & echo $! > '{sleepPid}.tmp' && mv '{sleepPid}.tmp' '{sleepPid}'; wait";

        using var cli = CliProcess.Start(_dir.Combine("project"), Env(), ["generate", spec, "--out", Out, "--mock-llm", "--check", check]);
        await WaitForAsync(() => File.Exists(sleepPid), cli, "the check command started");
        Assert.NotEmpty(Directory.EnumerateDirectories(Temp, "specsynth-check-*"));
        cli.Signal(RunningCli.SigTerm);
        var result = await cli.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 143, $"exit {result.ExitCode}: {result.Error}");
        foreach (var pid in new[] { int.Parse(File.ReadAllText(shPid).Trim(), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(File.ReadAllText(sleepPid).Trim(), System.Globalization.CultureInfo.InvariantCulture) })
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (RunningCli.IsAlive(pid) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Assert.False(RunningCli.IsAlive(pid), $"process {pid} of the check outlived the CLI");
        }
        Assert.Empty(Directory.EnumerateDirectories(Temp, "specsynth-check-*"));
        Assert.False(Directory.Exists(Out) && Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories).Any());
    }
}
