using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>
/// One test's world: a temporary folder (project, state home, user home), a fake provider server and the CLI
/// pointed at it through the provider's environment variables.
/// </summary>
internal sealed class CliHarness : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    private CliHarness(ProviderCase provider, FakeProviderServer server, IReadOnlyDictionary<string, string>? env)
    {
        Case = provider;
        Server = server;
        server.Router = provider.Route;
        Directory.CreateDirectory(Project);
        var all = new Dictionary<string, string>(env ?? provider.Env(server.BaseUrl))
        {
            ["SPECSYNTH_HOME"] = Home,
            ["HOME"] = _dir.Combine("user"),
        };
        Cli = new CliRunner(Project, all);
        // One attempt per call: these tests check what one failed request does at the CLI; retries, restarts and
        // fallback over the same fake servers are tested in ResilienceOverProvidersTests (with short delays).
        _dir.Write("project/specsynth.toml", "[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n");
        SpecPath = _dir.Write("project/spec.md", ModelAnswers.Spec);
        CodePath = _dir.Write("project/src/Greeter.cs", ModelAnswers.GreeterFile);
        RequirementsPath = _dir.Write("project/REQ.md", ModelAnswers.Spec);
    }

    public ProviderCase Case { get; }

    public FakeProviderServer Server { get; }

    public CliRunner Cli { get; }

    public string Root => _dir.Path;

    public string Project => _dir.Combine("project");

    public string Home => _dir.Combine("home");

    public string Out => _dir.Combine("project", "out");

    public string SpecPath { get; }

    /// <summary>Replaces the project's <c>specsynth.toml</c>.</summary>
    public void Configure(string toml) => File.WriteAllText(Path.Combine(Project, "specsynth.toml"), toml);

    public string CodePath { get; }

    public string RequirementsPath { get; }

    /// <summary>Starts a fresh server; <paramref name="env"/> replaces the provider's own variables when given.</summary>
    public static async Task<CliHarness> StartAsync(string caseName, IReadOnlyDictionary<string, string>? env = null) =>
        new(ProviderCases.Get(caseName), await FakeProviderServer.StartAsync(), env);

    /// <summary>Runs the CLI with <c>--provider</c> and the case's extra arguments appended.</summary>
    public Task<CliResult> RunAsync(params string[] args) =>
        Cli.RunAsync([.. args, "--provider", Case.Provider, .. Case.ExtraArgs]);

    /// <summary>The chat requests the server received (Ollama's tag look-ups left out).</summary>
    public IReadOnlyList<RecordedRequest> ChatRequests => [.. Server.Requests.Where(r => r.Path == Case.ChatPath)];

    /// <summary>Every file under the test folder (project, output, state and user home) that contains <paramref name="text"/>.</summary>
    public IReadOnlyList<string> FilesContaining(string text) =>
        [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(text, StringComparison.Ordinal))];

    /// <summary>All files under the output folder, relative, sorted.</summary>
    public IReadOnlyList<string> OutputFiles => Directory.Exists(Out)
        ? [.. Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Out, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
        : [];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
