using System.Diagnostics;
using System.Globalization;
using SpecSynth.Config;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;
using StackExchange.Redis;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary><c>[shared] redis</c> end to end: the config, and two real CLI processes charging one bucket.</summary>
public sealed class SharedRedisOverProcessesTests
{
    [Fact]
    public async Task TwoCliProcesses_ChargeOneSharedBucket_NamedByTheKeysVariable()
    {
        using var dir = new TempDir();
        await using var server = await FakeProviderServer.StartAsync();
        var claude = ProviderCases.Get("claude");
        server.Router = request => request.Path == claude.ChatPath ? claude.Reply(ModelAnswers.TwoFiles, stream: true) : null;
        var variable = "SPECSYNTH_TEST_KEY_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        dir.Write("specsynth.toml", $"""
            [retry]
            max_attempts = 1
            continuation_rounds = 0

            [llm.claude]
            api_key_env = "{variable}"
            requests_per_minute = 2

            [shared]
            redis = "redis://{RedisTestServer.Shared.Address}"
            """);
        var spec = dir.Write("spec.md", ModelAnswers.Spec);
        var env = new Dictionary<string, string>
        {
            [variable] = "sk-ant-api03-PROCESS-secret-5d6e",
            ["ANTHROPIC_BASE_URL"] = server.BaseUrl.AbsoluteUri.TrimEnd('/'),
            ["SPECSYNTH_HOME"] = dir.Combine("state"),
            ["HOME"] = dir.Combine("home"),
        };

        using var redis = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Shared.Address);
        var db = redis.GetDatabase();
        var before = await RedisNowMsAsync(db);
        var runs = await Task.WhenAll(
            // --no-cache: the processes share a state folder, and a reply one of them cached would spare the other its request.
            RunCliAsync(dir.Path, env, "generate", spec, "--out", dir.Combine("out1"), "--provider", "claude", "--no-cache"),
            RunCliAsync(dir.Path, env, "generate", spec, "--out", dir.Combine("out2"), "--provider", "claude", "--no-cache"));

        Assert.All(runs, r => Assert.True(r.Code == 0, r.Stderr));
        Assert.All(runs, r => Assert.DoesNotContain("Redis", r.Stderr, StringComparison.Ordinal));
        Assert.Equal(2, server.Requests.Count(r => r.Path == claude.ChatPath));
        // Two requests per minute, a bucket of two: each request moves "full again" 30 s later. Both processes
        // charged the same bucket, so it is full again 60 s after the first charge (one process alone: 30 s after its
        // charge). Bounded by the server's clock before the runs and after them, so a slow machine cannot fail it.
        var full = double.Parse((string)(await db.StringGetAsync($"specsynth:ratelimit:{{claude+{variable}}}:requests"))!, CultureInfo.InvariantCulture);
        var after = await RedisNowMsAsync(db);
        Assert.InRange(full, before + 59_900, after + 60_100);
        await RedisTestServer.Shared.DeleteKeysAsync($"specsynth:ratelimit:{{claude+{variable}}}:*");
    }

    /// <summary>The Redis server's clock in Unix ms (TIME), the clock its rate-limit script charges by.</summary>
    private static async Task<double> RedisNowMsAsync(IDatabase db)
    {
        var time = (RedisResult[])(await db.ExecuteAsync("TIME"))!;
        return (long)time[0] * 1000.0 + ((long)time[1] / 1000.0);
    }

    [Fact]
    public void SharedRedis_IsReadFromTheConfig()
    {
        using var dir = new TempDir();
        var file = dir.Write("specsynth.toml", "[shared]\nredis = \"redis://:pw@cache.internal:6380/1\"\n");

        var config = ConfigLoader.ApplyFile(new SpecSynthConfig(), file, File.ReadAllText(file));

        Assert.Equal("redis://:pw@cache.internal:6380/1", config.Shared.Redis);
    }

    [Theory]
    [InlineData("[shared]\nredis = \"http://:hunter2@cache:6379\"\n", "'shared.redis'")]
    [InlineData("[shared]\nurl = \"redis://cache\"\n", "unknown key 'shared.url'")]
    public void ABadSharedSection_IsAnErrorWithItsLine_ThatDoesNotRepeatTheAddress(string toml, string expected)
    {
        using var dir = new TempDir();
        var file = dir.Write("specsynth.toml", toml);

        var error = Assert.Throws<SpecSynthException>(() => ConfigLoader.ApplyFile(new SpecSynthConfig(), file, toml));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("specsynth.toml:2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs the built CLI as its own process with exactly <paramref name="env"/> (no inherited provider or specsynth variables).</summary>
    internal static async Task<(int Code, string Stderr)> RunCliAsync(string workDir, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CliDll());
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("ANTHROPIC_", StringComparison.Ordinal)
            || k.StartsWith("OPENAI_", StringComparison.Ordinal) || k.StartsWith("SPECSYNTH_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(name);
        }
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        return (process.ExitCode, await stderr);
    }

    /// <summary>The CLI as its own project built it, in the configuration the tests were built in.</summary>
    private static string CliDll()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(TestPaths.RepoRoot, "src", "SpecSynth.Cli", "bin", tfm.Parent!.Name, tfm.Name, "SpecSynth.Cli.dll");
        Assert.True(File.Exists(dll), "build the solution first: " + dll);
        return dll;
    }
}
