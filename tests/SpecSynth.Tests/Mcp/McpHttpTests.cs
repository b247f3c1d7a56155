using System.Text;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using SpecSynth.Cli;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Mcp;

/// <summary><c>specsynth mcp --http PORT</c>: Streamable HTTP on 127.0.0.1, an <c>Origin</c> check and the bearer token from
/// <c>SPECSYNTH_MCP_TOKEN</c>, driven by the SDK's HTTP client.</summary>
public sealed partial class McpHttpTests
{
    private const string Token = "test-token-3f9a";

    [Fact]
    public async Task HttpServer_OnLoopback_RefusesNoTokenAndForeignOrigins_AndServesTheToolsWithTheToken()
    {
        using var world = new ServiceWorld(new Dictionary<string, string> { ["SPECSYNTH_MCP_TOKEN"] = Token });
        var stderr = new LockedWriter();
        var host = new CliHost(new StringWriter(), stderr, k => world.Env.TryGetValue(k, out var v) ? v : null, world.Project, false, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var server = Task.Run(() => CliApp.RunAsync(["mcp", "--project", ".", "--http", "0"], host, stop.Token));
        try
        {
            var endpoint = await EndpointAsync(stderr, server);
            Assert.Equal("127.0.0.1", endpoint.Host);
            using var http = new HttpClient();
            const string initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

            using var noToken = await http.SendAsync(Post(endpoint, initialize));
            using var foreign = Post(endpoint, initialize);
            foreign.Headers.Add("Authorization", "Bearer " + Token);
            foreign.Headers.Add("Origin", "http://evil.example");
            using var foreignResponse = await http.SendAsync(foreign);

            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, noToken.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, foreignResponse.StatusCode);

            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token },
            });
            await using (var client = await McpClient.CreateAsync(transport))
            {
                var tools = await client.ListToolsAsync();
                var dry = await client.CallToolAsync("generate", new Dictionary<string, object?> { ["spec"] = "spec.md", ["out"] = "out", ["provider"] = "mock" });

                Assert.Contains(tools, t => t.Name == "apply");
                Assert.NotEqual(true, dry.IsError);
                Assert.Equal("dry_run", dry.StructuredContent!.Value.GetProperty("status").GetString());
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(0, await server.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static HttpRequestMessage Post(Uri endpoint, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Accept", "application/json, text/event-stream");
        return request;
    }

    private static async Task<Uri> EndpointAsync(LockedWriter stderr, Task<int> server)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if (Address().Match(stderr.Text) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value);
            }
            if (server.IsCompleted)
            {
                Assert.Fail($"the server ended with {await server}: {stderr.Text}");
            }
        }
        Assert.Fail("the server never said where it listens: " + stderr.Text);
        return null!;
    }

    [GeneratedRegex(@"at (http://127\.0\.0\.1:\d+/mcp)")]
    private static partial Regex Address();

    /// <summary>A writer the server and the test may use at once.</summary>
    private sealed class LockedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}
