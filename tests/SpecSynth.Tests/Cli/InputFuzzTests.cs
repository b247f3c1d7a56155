using System.CommandLine;
using SpecSynth.Cli;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Cli;

/// <summary>
/// Property-style: random strings and extreme numbers (NaN, infinities, negatives, 1e308, huge integers, empty, unicode)
/// thrown at every flag of every command and at every numeric key of specsynth.toml. The answer is always a success or a
/// usage error naming the problem (exit 0 or 2; 6 only where a budget key legitimately leaves no money), never an internal
/// error (exit 1), an unhandled exception or a .NET resource key. Seeded and bounded, so a failure reproduces.
/// </summary>
public sealed class InputFuzzTests : IDisposable
{
    private const int Seed = 20261205;
    private const int ValuesPerFlag = 4;
    private const int ValuesPerKey = 5;

    private static readonly string[] FlagValues =
    [
        "", " ", "abc", "NaN", "nan", "inf", "-inf", "Infinity", "-1", "0", "-0", "1", "1.5", "1e308", "-1e308", "1e-300",
        "99999999999", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "7900000000000000000000000000",
        "0x10", "1_000", "1,5", "１２", "٣", "ü", "🙂", "\u00a0", "--", "%s", "'", "\"", "claude,", ",", "mock,mock", "nul\u0001l",
        new string('9', 400), new string('x', 2000),
    ];

    private static readonly string[] TomlValues =
    [
        "nan", "+nan", "inf", "-inf", "-1", "0", "-0.0", "1e308", "-1e308", "1e-300", "9223372036854775807", "-9223372036854775808",
        "2147483648", "1.5", "0.001", "\"x\"", "\"\"", "true", "[]", "{}", "1979-05-27", "1e12", "1e29", "86401",
    ];

    /// <summary>Every numeric key of specsynth.toml (the README's Configuration, Resilience and Budgets sections).</summary>
    private static readonly (string Table, string Key)[] NumericKeys =
    [
        ("llm.claude", "max_tokens"), ("llm.claude", "temperature"), ("llm.claude", "requests_per_minute"), ("llm.claude", "tokens_per_minute"),
        ("retry", "max_attempts"), ("retry", "initial_delay"), ("retry", "max_delay"), ("retry", "exponential_base"), ("retry", "max_server_delay"),
        ("retry", "stream_idle_timeout"), ("retry", "continuation_rounds"), ("circuit_breaker", "failure_threshold"),
        ("circuit_breaker", "break_duration"), ("cache", "ttl_hours"), ("budget", "daily_usd"), ("budget", "monthly_usd"),
        ("budget", "min_output_tokens"), ("routing", "small_spec_tokens"),
    ];

    /// <summary>Flags whose value is run or fetched rather than parsed: a shell command (<c>--check</c>); a port to serve on until
    /// stopped (<c>mcp --http</c>: a valid one starts a server that never ends by itself).</summary>
    private static readonly string[] NotFuzzed = ["--check", "--http", "--help", "-h", "-?", "--version"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EveryFlagOfEveryCommand_WithRandomValues_IsExit0Or2()
    {
        var project = _dir.Combine("project");
        Directory.CreateDirectory(project);
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        var code = _dir.Write("project/src/Greeter.cs", ModelAnswers.GreeterFile);
        var cli = new CliRunner(project, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state"), ["HOME"] = _dir.Combine("user") })
        {
            Stdin = System.Text.Encoding.UTF8.GetBytes(ModelAnswers.Spec),
        };
        var random = new Random(Seed);
        var root = CliApp.BuildRoot(new CliHost(TextWriter.Null, TextWriter.Null, _ => null, project, false, TimeProvider.System));
        var commands = Leaves(root, []).ToList();
        Assert.True(commands.Count >= 12, "every command is found: " + string.Join(", ", commands.Select(c => string.Join(' ', c.Path))));
        var runs = 0;
        foreach (var (path, command) in commands)
        {
            string[] baseArgs = string.Join(' ', path) switch
            {
                "generate" => ["generate", spec, "--mock-llm", "--dry-run", "--out", "out"],
                "explain" => ["explain", code, "--mock-llm"],
                "review" => ["review", code, "--spec", spec, "--mock-llm"],
                "context" => ["context", spec, "--mock-llm"],
                "history show" => ["history", "show", "1"],
                _ => [.. path],
            };
            var options = command.Options.Concat(root.Options.Where(o => o.Recursive)).Where(o => !NotFuzzed.Contains(o.Name)).ToList();
            foreach (var option in options)
            {
                for (var i = 0; i < ValuesPerFlag; i++)
                {
                    var value = FlagValues[random.Next(FlagValues.Length)];
                    string[] args = [.. baseArgs, option.Name, value];
                    var result = await cli.RunAsync(args);
                    AssertHandled(result, [0, 2], args);
                    runs++;
                }
            }
        }
        Assert.True(runs > 150, $"{runs} runs");
    }

    [Fact]
    public async Task EveryNumericConfigKey_WithRandomValues_IsExit0Or2_NamingFileLineAndKey()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Fallback = h.Case.Reply(ModelAnswers.TwoFiles, stream: true);
        var random = new Random(Seed);
        foreach (var (table, key) in NumericKeys)
        {
            for (var i = 0; i < ValuesPerKey; i++)
            {
                var value = TomlValues[random.Next(TomlValues.Length)];
                h.Configure($"[{table}]\n{key} = {value}\n");
                string[] args = ["generate", h.SpecPath, "--dry-run", "--out", "out", "--no-cache"];
                var result = await h.RunAsync(args);
                AssertHandled(result, table == "budget" ? [0, 2, 6] : [0, 2], [$"[{table}] {key} = {value}", .. args]);
                if (result.ExitCode == 2)
                {
                    Assert.Contains($"specsynth.toml:2: '{table}.{key}'", result.Error, StringComparison.Ordinal);
                }
            }
        }
    }

    private static void AssertHandled(CliResult result, int[] allowed, string[] args)
    {
        var what = $"specsynth {string.Join(' ', args.Select(a => a.Length > 30 ? a[..30] + "…" : a))} -> exit {result.ExitCode}: {result.Error}";
        Assert.True(allowed.Contains(result.ExitCode), what);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(StateFolderTests.ResourceKey(), result.Error);
        if (result.ExitCode == 2)
        {
            Assert.True(result.Error.Contains("error: ", StringComparison.Ordinal), what);
        }
    }

    private static IEnumerable<(string[] Path, Command Command)> Leaves(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] subPath = [.. path, sub.Name];
            if (sub.Action is not null)
            {
                yield return (subPath, sub);
            }
            foreach (var leaf in Leaves(sub, subPath))
            {
                yield return leaf;
            }
        }
    }
}
