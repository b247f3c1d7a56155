using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using SpecSynth.Tests.Cli;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Mcp;

/// <summary><c>specsynth mcp</c> as MCP clients launch it: a real child process speaking over its standard input and output.</summary>
public sealed class McpStdioProcessTests
{
    [Fact]
    public async Task StandardOutput_CarriesNothingButProtocolMessages_ThroughAGenerateWithProgress()
    {
        using var world = new ServiceWorld();
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = world.Project,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { CliProcess.Dll, "mcp", "--project", "." })
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in world.Env)
        {
            psi.Environment[key] = value;
        }
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        async Task<JsonElement> SendAsync(string json, int? id)
        {
            await process.StandardInput.WriteLineAsync(json);
            await process.StandardInput.FlushAsync();
            while (id is not null)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120))
                    ?? throw new InvalidOperationException("the server closed stdout; stderr: " + await stderr);
                lines.Add(line);
                var message = JsonDocument.Parse(line).RootElement;
                if (message.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
                {
                    return message;
                }
            }
            return default;
        }

        await SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""", 1);
        await SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", null);
        var generated = await SendAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"generate","arguments":{"spec":"spec.md","out":"out","provider":"mock"},"_meta":{"progressToken":"p1"}}}""", 2);
        process.StandardInput.Close();
        lines.AddRange((await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60))).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("dry_run", generated.GetProperty("result").GetProperty("structuredContent").GetProperty("status").GetString());
        Assert.All(lines, line => Assert.Equal("2.0", JsonDocument.Parse(line).RootElement.GetProperty("jsonrpc").GetString()));
        Assert.Contains(lines, line => line.Contains("\"notifications/progress\"", StringComparison.Ordinal));
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("specsynth mcp: serving", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSdksStdioClient_LaunchesTheCommand_DryRunApplyUndo()
    {
        using var world = new ServiceWorld();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "specsynth",
            Command = "dotnet",
            Arguments = [CliProcess.Dll, "mcp", "--project", world.Project],
            WorkingDirectory = world.Project,
            EnvironmentVariables = world.Env.ToDictionary(e => e.Key, e => (string?)e.Value),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);

        var dry = await client.CallToolAsync("generate", new Dictionary<string, object?> { ["spec"] = "spec.md", ["out"] = "out", ["provider"] = "mock" },
            cancellationToken: timeout.Token);
        var id = dry.StructuredContent!.Value.GetProperty("dry_run_id").GetString();
        Assert.Empty(world.OutputFiles());
        var apply = await client.CallToolAsync("apply", new Dictionary<string, object?> { ["dry_run_id"] = id }, cancellationToken: timeout.Token);
        var written = world.OutputFiles().Count;
        var undo = await client.CallToolAsync("undo", cancellationToken: timeout.Token);

        Assert.NotEqual(true, apply.IsError);
        Assert.Equal(dry.StructuredContent!.Value.GetProperty("files").GetArrayLength(), written);
        Assert.NotEqual(true, undo.IsError);
        Assert.Empty(world.OutputFiles());
    }
}
