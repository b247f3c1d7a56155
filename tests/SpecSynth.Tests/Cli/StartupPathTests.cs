using System.Diagnostics;

namespace SpecSynth.Tests.Cli;

/// <summary>
/// Runs the real CLI process and checks which assemblies it loaded: --version, config show and mock runs must
/// not load the provider SDKs, Roslyn or the tokenizer (they cost start-up time on every call).
/// </summary>
public sealed class StartupPathTests
{
    private static readonly string[] Heavy = ["Anthropic", "OpenAI", "OllamaSharp", "Microsoft.CodeAnalysis", "Microsoft.ML.Tokenizers", "OpenTelemetry"];

    [Theory]
    [InlineData("--version")]
    [InlineData("--help")]
    [InlineData("config", "show")]
    public async Task LightCommands_DoNotLoadHeavyAssemblies(params string[] args)
    {
        using var dir = new TempDir();
        var spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");
        var (code, _, stderr) = await RunCliAsync(dir.Path, args.Select(a => a == "{spec}" ? spec : a));

        Assert.Equal(0, code);
        var loaded = stderr.Split('\n').Where(l => l.StartsWith("loaded: ", StringComparison.Ordinal)).Select(l => l[8..].Trim()).ToList();
        Assert.Contains("SpecSynth.Cli", loaded);
        Assert.DoesNotContain(loaded, name => Heavy.Any(h => name.StartsWith(h, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Version_PrintsWhatTheParsersVersionOptionPrints_WithoutLoadingTheParserOrTheLibrary()
    {
        using var dir = new TempDir();
        // The parser's version option prints the entry assembly's informational version (the file's product version).
        var expected = FileVersionInfo.GetVersionInfo(CliDll()).ProductVersion;

        var (code, stdout, stderr) = await RunCliAsync(dir.Path, ["--version"]);

        Assert.Equal(0, code);
        Assert.Equal(expected + "\n", stdout.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
        var loaded = stderr.Split('\n').Where(l => l.StartsWith("loaded: ", StringComparison.Ordinal)).Select(l => l[8..].Trim()).ToList();
        Assert.Contains("SpecSynth.Cli", loaded);
        Assert.DoesNotContain("System.CommandLine", loaded);
        Assert.DoesNotContain("SpecSynth", loaded);
    }

    [Fact]
    public async Task MockGenerate_LoadsNoProviderSdkOrTokenizer_ButRoslynToValidateTheCSharpFiles()
    {
        using var dir = new TempDir();
        var spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");
        var (code, _, stderr) = await RunCliAsync(dir.Path, ["generate", spec, "--mock-llm", "--dry-run", "--json"]);

        Assert.Equal(0, code);
        var loaded = stderr.Split('\n').Where(l => l.StartsWith("loaded: ", StringComparison.Ordinal)).Select(l => l[8..].Trim()).ToList();
        Assert.DoesNotContain(loaded, name => Heavy.Where(h => h != "Microsoft.CodeAnalysis").Any(h => name.StartsWith(h, StringComparison.Ordinal)));
        Assert.Contains("Microsoft.CodeAnalysis.CSharp", loaded);
    }

    [Fact]
    public async Task MockGenerate_LoadsTheOpenTelemetrySdk_OnlyWhenAnEndpointIsConfigured()
    {
        using var dir = new TempDir();
        var spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");
        await using var collector = await Fakes.OtlpReceiver.StartAsync();

        var (code, _, stderr) = await RunCliAsync(dir.Path, ["generate", spec, "--mock-llm", "--dry-run", "--json"],
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.HttpEndpoint.ToString() });

        Assert.Equal(0, code);
        var loaded = stderr.Split('\n').Where(l => l.StartsWith("loaded: ", StringComparison.Ordinal)).Select(l => l[8..].Trim()).ToList();
        Assert.Contains("OpenTelemetry", loaded);
        Assert.Contains("OpenTelemetry.Exporter.OpenTelemetryProtocol", loaded);
        Assert.Contains(collector.Spans, s => s.Name == "specsynth.generate");
    }

    /// <summary>The CLI as its own project built it (its deps.json and dependencies beside it), in the configuration
    /// the tests were built in: the copy in the test folder resolves against the test project's dependencies.</summary>
    private static string CliDll()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var dll = Path.Combine(TestPaths.RepoRoot, "src", "SpecSynth.Cli", "bin", configuration, tfm.Name, "SpecSynth.Cli.dll");
        Assert.True(File.Exists(dll), "build the solution first: " + dll);
        return dll;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(string workDir, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? env = null)
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
        psi.Environment["SPECSYNTH_TRACE_ASSEMBLIES"] = "1";
        psi.Environment["SPECSYNTH_HOME"] = Path.Combine(workDir, "state");
        // Whatever the machine's shell has, these runs configure no telemetry unless the test says so.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(name);
        }
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
