using System.IO.Pipelines;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SpecSynth.Cli;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Mcp;

/// <summary>The real <c>specsynth mcp</c> command, run in-process through <see cref="CliApp"/> with its standard input and output
/// on two pipes, and the SDK's own client on the other ends.</summary>
internal sealed class McpTestSession : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _server;

    private McpTestSession(ServiceWorld world, string? projectArgument)
    {
        var host = new CliHost(Stdout, Stderr, k => world.Env.TryGetValue(k, out var v) ? v : null, world.Project, false, TimeProvider.System)
        {
            OpenInput = () => _toServer.Reader.AsStream(),
            OpenOutput = () => _toClient.Writer.AsStream(),
        };
        string[] args = projectArgument is null ? ["mcp"] : ["mcp", "--project", projectArgument];
        _server = Task.Run(() => CliApp.RunAsync(args, host, _stop.Token));
    }

    /// <summary>What the command wrote to its <c>Out</c> writer (must stay empty: stdout carries the protocol).</summary>
    public StringWriter Stdout { get; } = new();

    public StringWriter Stderr { get; } = new();

    public McpClient Client { get; private set; } = null!;

    public static async Task<McpTestSession> StartAsync(ServiceWorld world, string? projectArgument = ".")
    {
        var session = new McpTestSession(world, projectArgument);
        var transport = new StreamClientTransport(session._toServer.Writer.AsStream(), session._toClient.Reader.AsStream());
        session.Client = await McpClient.CreateAsync(transport, cancellationToken: Timeout());
        return session;
    }

    /// <summary>Calls a tool with arguments given as an anonymous object (snake_case names as the schema has them).</summary>
    public async Task<CallToolResult> CallAsync(string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.SerializeToElement(arguments ?? new { });
        var args = json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Timeout());
        return await Client.CallToolAsync(tool, args, progress, cancellationToken: timeout.Token);
    }

    /// <summary>The exit code of the command once the client is gone.</summary>
    public async Task<int> StopAsync()
    {
        await Client.DisposeAsync();
        await _toServer.Writer.CompleteAsync();
        return await _server.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.IsCompleted)
        {
            await Client.DisposeAsync();
            await _toServer.Writer.CompleteAsync();
            await _stop.CancelAsync();
            try
            {
                await _server.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;
}
