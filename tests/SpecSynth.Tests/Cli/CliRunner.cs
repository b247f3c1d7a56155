using SpecSynth.Cli;

namespace SpecSynth.Tests.Cli;

/// <summary>Runs the CLI in-process with captured streams, a private state folder and a chosen environment.</summary>
internal sealed class CliRunner(string workDir, IDictionary<string, string>? env = null)
{
    private readonly Dictionary<string, string> _env = new(env ?? new Dictionary<string, string>(), StringComparer.Ordinal);

    public Dictionary<string, string> Env => _env;

    /// <summary>Whether the CLI sees stderr as a terminal (live progress view, styling).</summary>
    public bool ErrorIsTerminal { get; set; }

    /// <summary>The provider SDK wiring the CLI uses; <c>null</c>: its default (Azure OpenAI without a key: DefaultAzureCredential).</summary>
    public ProviderSdkFactory? ProviderFactory { get; set; }

    /// <summary>What the CLI reads from standard input (<c>generate -</c>); <c>null</c>: a terminal, nothing piped in.</summary>
    public byte[]? Stdin { get; set; }

    public async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var stdin = Stdin;
        var host = new CliHost(stdout, stderr, k => _env.TryGetValue(k, out var v) ? v : null, workDir, ErrorIsTerminal, TimeProvider.System)
        {
            OpenInput = () => new MemoryStream(stdin ?? []),
            InputIsTerminal = stdin is null,
            ProviderFactory = ProviderFactory,
        };
        var code = await CliApp.RunAsync(args, host, cancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);
}

internal sealed record CliResult(int ExitCode, string Out, string Error);
